using System.Threading.Channels;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// The peer sessions this gateway holds (each browser socket, each session of a frontend):
/// shutdown closes them instead of dropping them, the cluster watch ends those on a dead silo, and
/// the session lease reports them (as changes since the last report) so the cluster can clean up
/// if this gateway dies.
/// </summary>
internal sealed class ConnectionTracker
{
    private readonly object _gate = new();
    private readonly HashSet<PeerSessionHandler> _connections = [];
    private readonly HashSet<PeerSession> _opened = [];
    private readonly HashSet<PeerSession> _closed = [];
    private readonly Dictionary<PeerSession, TaskCompletionSource> _unreported = [];
    private readonly Channel<bool> _opening = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Completes when a session was opened since the last <see cref="TakeSessionChanges"/>: the lease reports it early.</summary>
    public ValueTask<bool> SessionOpened(CancellationToken cancellationToken) => _opening.Reader.WaitToReadAsync(cancellationToken);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    public IDisposable Track(PeerSessionHandler connection)
    {
        lock (_gate)
        {
            _connections.Add(connection);
            _opened.Add(connection.Session);
            _unreported[connection.Session] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _opening.Writer.TryWrite(true);

        return new Untrack(() =>
        {
            lock (_gate)
            {
                _connections.Remove(connection);
                if (_unreported.Remove(connection.Session, out var unreported))
                {
                    unreported.TrySetResult();
                }

                if (!_opened.Remove(connection.Session))
                {
                    _closed.Add(connection.Session);
                }
            }
        });
    }

    public PeerSessionHandler[] Connections()
    {
        lock (_gate)
        {
            return [.. _connections];
        }
    }

    /// <summary>Sessions opened and closed since the last call; with <paramref name="complete"/>, every open session instead.</summary>
    public (PeerSession[] Opened, PeerSession[] Closed) TakeSessionChanges(bool complete)
    {
        lock (_gate)
        {
            var changes = complete
                ? (_connections.Select(connection => connection.Session).ToArray(), Array.Empty<PeerSession>())
                : (_opened.ToArray(), _closed.ToArray());
            _opened.Clear();
            _closed.Clear();
            _opening.Reader.TryRead(out _);
            return changes;
        }
    }

    /// <summary>
    /// Completes once the cluster's lease for this gateway holds <paramref name="session"/>: from
    /// then on, should this gateway die, the cluster removes the session's peer from its room.
    /// </summary>
    public Task Reported(PeerSession session)
    {
        lock (_gate)
        {
            return _unreported.TryGetValue(session, out var reported) ? reported.Task : Task.CompletedTask;
        }
    }

    /// <summary>The lease now holds these sessions (a renewal that sent them succeeded).</summary>
    public void MarkReported(IEnumerable<PeerSession> sessions)
    {
        lock (_gate)
        {
            foreach (var session in sessions)
            {
                if (_unreported.Remove(session, out var reported))
                {
                    reported.TrySetResult();
                }
            }
        }
    }

    public void CloseAll(int code, string reason)
    {
        foreach (var connection in Connections())
        {
            connection.Close(code, reason);
        }
    }

    private sealed class Untrack(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
