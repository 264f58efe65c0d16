using System.Collections;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests;

/// <summary>
/// Protoo clients a test owns together: disposing the group closes every socket, the last added
/// first (as a row of <c>await using</c> declarations would).
/// </summary>
internal sealed class JoinedPeers : IReadOnlyList<ProtooClient>, IAsyncDisposable
{
    private readonly List<ProtooClient> _clients;

    public JoinedPeers(IEnumerable<ProtooClient>? clients = null) => _clients = [.. clients ?? []];

    public int Count => _clients.Count;

    public ProtooClient this[int index] => _clients[index];

    public void Add(ProtooClient client) => _clients.Add(client);

    public void Deconstruct(out ProtooClient first, out ProtooClient second)
    {
        ExpectCount(2);
        (first, second) = (_clients[0], _clients[1]);
    }

    public void Deconstruct(out ProtooClient first, out ProtooClient second, out ProtooClient third)
    {
        ExpectCount(3);
        (first, second, third) = (_clients[0], _clients[1], _clients[2]);
    }

    public IEnumerator<ProtooClient> GetEnumerator() => _clients.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public async ValueTask DisposeAsync()
    {
        for (var i = _clients.Count - 1; i >= 0; i--)
        {
            await _clients[i].DisposeAsync();
        }
    }

    private void ExpectCount(int count)
    {
        if (_clients.Count != count)
        {
            throw new InvalidOperationException($"the group holds {_clients.Count} peers, not {count}");
        }
    }
}
