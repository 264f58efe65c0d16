namespace Coordinator.Gateway.Connections;

/// <summary>
/// Keeps this gateway's <c>IPeerGrain.Connect</c> calls for one peer in the order their sessions
/// opened. The Peer takes the session that connects last as the newest, and the reference keeps
/// the socket that arrived last; without this order, an older socket's late Connect (its upgrade
/// and the grain call take time) could replace the newer socket. Sessions opened through different
/// gateways have no order to keep: there the later Connect wins.
/// </summary>
internal sealed class PeerConnectOrder
{
    /// <summary>Per peer key: when the Connect of the last session opened for it is over.</summary>
    private readonly Dictionary<string, Task> _lastOpened = [];

    /// <summary>A session for <paramref name="peerKey"/> opened: its place after those opened before it.</summary>
    public Turn Take(string peerKey)
    {
        lock (_lastOpened)
        {
            var turn = new Turn(this, peerKey, _lastOpened.GetValueOrDefault(peerKey, Task.CompletedTask));
            _lastOpened[peerKey] = turn.Over;
            return turn;
        }
    }

    /// <summary>How many peers have a Connect waiting or under way.</summary>
    public int PeersConnecting
    {
        get
        {
            lock (_lastOpened)
            {
                return _lastOpened.Count;
            }
        }
    }

    private void Forget(string peerKey, Task over)
    {
        lock (_lastOpened)
        {
            if (_lastOpened.TryGetValue(peerKey, out var last) && last == over)
            {
                _lastOpened.Remove(peerKey);
            }
        }
    }

    /// <summary>One session's place: its Connect waits for <see cref="Earlier"/>; disposing it lets the next one go.</summary>
    public sealed class Turn(PeerConnectOrder order, string peerKey, Task earlier) : IDisposable
    {
        private readonly TaskCompletionSource _over = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes (never fails) once the Connect of the session opened just before is over, whatever its outcome.</summary>
        public Task Earlier => earlier;

        internal Task Over => _over.Task;

        /// <summary>This session's Connect is over, or will never be made.</summary>
        public void Dispose()
        {
            if (_over.TrySetResult())
            {
                order.Forget(peerKey, Over);
            }
        }
    }
}
