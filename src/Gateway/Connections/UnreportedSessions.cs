using Coordinator.Grains.Interfaces;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// Sessions the cluster's lease for this gateway does not hold yet: a join waits until it does, so
/// that should this gateway die the next moment, the cluster still removes the joined peer.
/// </summary>
/// <param name="roomsOutliveGateway">
/// Whether a room can outlive this gateway (another silo may host it). If not (an embedded node
/// with no external cluster store, a cluster of one process), a room dies with this gateway's
/// sockets: no session waits, and the regular renewals report them.
/// </param>
internal sealed class UnreportedSessions(bool roomsOutliveGateway)
{
    private readonly Dictionary<PeerSession, TaskCompletionSource> _waiting = [];

    /// <summary>Whether a new session should hurry the lease's next report.</summary>
    public bool ReportEarly => roomsOutliveGateway;

    /// <summary>A session opened. Callers hold the tracker's lock, as for every method here.</summary>
    public void Opened(PeerSession session)
    {
        if (roomsOutliveGateway)
        {
            _waiting[session] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Completes once the lease holds <paramref name="session"/>, or the session ended, or at once if nothing needs to wait.</summary>
    public Task Reported(PeerSession session) =>
        _waiting.TryGetValue(session, out var reported) ? reported.Task : Task.CompletedTask;

    /// <summary>The lease now holds these sessions, or they ended: nothing waits for them any more.</summary>
    public void Release(IEnumerable<PeerSession> sessions)
    {
        foreach (var session in sessions)
        {
            if (_waiting.Remove(session, out var reported))
            {
                reported.TrySetResult();
            }
        }
    }
}
