using System.Collections.Concurrent;

namespace Coordinator.Gateway.Connections;

/// <summary>The sockets this gateway holds, so that shutdown can close them instead of dropping them.</summary>
internal sealed class ConnectionTracker
{
    private readonly ConcurrentDictionary<PeerConnection, byte> _connections = new();

    public int Count => _connections.Count;

    public IDisposable Track(PeerConnection connection)
    {
        _connections.TryAdd(connection, 0);
        return new Untrack(() => _connections.TryRemove(connection, out _));
    }

    public void CloseAll(int code, string reason)
    {
        foreach (var connection in _connections.Keys)
        {
            connection.Close(code, reason);
        }
    }

    private sealed class Untrack(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
