using Coordinator.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Gateways;

/// <summary>
/// Holds one gateway's sessions while the gateway renews; disconnects them all when it stops.
/// A new activation (first use, or its silo died) asks for the complete session list first.
/// Its state after each renewal is published to the silo's <see cref="GatewayLeases"/> for the cluster view.
/// </summary>
public sealed partial class GatewayLeaseGrain(GatewayLeases leases, ILogger<GatewayLeaseGrain> logger) : Grain, IGatewayLeaseGrain
{
    private readonly HashSet<PeerSession> _sessions = [];
    private bool _complete;
    private bool _expired;
    private DateTime _expiresAt;
    private long _lastSequence;
    private IGrainTimer? _timer;
    private LeaseState? _published;

    public Task<LeaseStatus> Renew(LeaseRenewal renewal)
    {
        // An attempt the gateway already gave up on can arrive after a newer one: applying its
        // (older) session list would lose sessions opened since.
        if (renewal.Sequence <= _lastSequence)
        {
            return Task.FromResult(_complete ? LeaseStatus.Renewed : LeaseStatus.NeedsCompleteList);
        }

        _lastSequence = renewal.Sequence;
        if (_expired)
        {
            // The sockets of the expired sessions are still open somewhere: that gateway must end them.
            _expired = false;
            _sessions.Clear();
            _complete = false;
            return Task.FromResult(LeaseStatus.Expired);
        }

        if (renewal.Complete)
        {
            _sessions.Clear();
            _complete = true;
        }

        _sessions.UnionWith(renewal.Opened);
        _sessions.ExceptWith(renewal.Closed);
        _expiresAt = DateTime.UtcNow + renewal.Duration;
        Publish(new LeaseState(this.GetPrimaryKeyString(), _sessions.Count, renewal.Load, DateTimeOffset.UtcNow, renewal.Duration, Expired: false));
        // Looked at often (one timer per gateway, so it costs nothing): the peers of a dead gateway
        // leave within a twentieth of the lease after it runs out, not a quarter.
        var period = renewal.Duration / 20;
        _timer ??= this.RegisterGrainTimer(CheckExpiry, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
        return Task.FromResult(_complete ? LeaseStatus.Renewed : LeaseStatus.NeedsCompleteList);
    }

    private async Task CheckExpiry(CancellationToken cancellation)
    {
        if (_expired || DateTime.UtcNow < _expiresAt)
        {
            return;
        }

        _expired = true;
        if (_published is { } published)
        {
            Publish(published with { Sessions = 0, Expired = true });
        }

        var sessions = _sessions.ToArray();
        _sessions.Clear();
        LogExpired(this.GetPrimaryKeyString(), sessions.Length);
        await Task.WhenAll(sessions.Select(DisconnectAsync));

        // Keep answering Expired to a gateway that comes back; otherwise go away.
        _timer?.Dispose();
        _timer = null;
        DelayDeactivation(TimeSpan.FromMinutes(1));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        leases.Remove(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    private void Publish(LeaseState state)
    {
        _published = state;
        leases.Update(state);
    }

    private async Task DisconnectAsync(PeerSession session)
    {
        try
        {
            await GrainFactory.Reference<IPeerGrain>(session.PeerKey).Disconnect(session);
        }
        catch (Exception exception)
        {
            LogDisconnectFailed(exception, session);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {Gateway} stopped renewing its lease: disconnecting its {Count} sessions")]
    private partial void LogExpired(string gateway, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Disconnecting {Session} after its gateway's lease expired failed")]
    private partial void LogDisconnectFailed(Exception exception, PeerSession session);
}
