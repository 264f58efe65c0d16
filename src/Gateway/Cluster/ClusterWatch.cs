using System.Diagnostics;
using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Hosting;
using Coordinator.Grains.Interfaces;
using Coordinator.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Coordinator.Gateway.Cluster;

/// <summary>
/// Ends the sockets whose room or peer lived on a silo that left the cluster. A room's media and
/// state die with its silo, and so does a peer's notification numbering; such a client would
/// otherwise sit on a silent socket. Closing with <see cref="CloseCodes.ReconnectAndRejoin"/>
/// makes it reconnect and rejoin a fresh room. Also closes every socket when this gateway loses
/// the whole cluster (Orleans reports it through <see cref="IClusterConnectionStatusObserver"/>,
/// and <see cref="ClusterLossConfirmation"/> checks that it is real).
/// </summary>
internal sealed partial class ClusterWatch : BackgroundService, IClusterConnectionStatusObserver
{
    private readonly IGrainFactory _grains;
    private readonly ConnectionTracker _tracker;
    private readonly PathLosses _pathLosses;
    private readonly IOptions<GatewayOptions> _options;
    private readonly ILogger<ClusterWatch> _logger;
    private readonly ClusterLossConfirmation _lossConfirmation;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<SiloAddress> _gone = [];
    private readonly HashSet<SiloAddress> _dead = [];
    private long _lastSeenActiveTicks;

    /// <summary>True when a recent check found at least one active silo: this node can serve requests.</summary>
    public bool SeesActiveSilos =>
        DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastSeenActiveTicks) < (_options.Value.ClusterWatchInterval * 3).Ticks;

    /// <summary>After a lost path, look this often for a while: the silo behind it is declared dead about a second later.</summary>
    private static readonly TimeSpan QuickInterval = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan QuickPeriod = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan ViewTimeout = TimeSpan.FromSeconds(1);

    public ClusterWatch(
        IGrainFactory grains,
        ConnectionTracker tracker,
        PathLosses pathLosses,
        IOptions<GatewayOptions> options,
        ILogger<ClusterWatch> logger)
    {
        (_grains, _tracker, _pathLosses, _options, _logger) = (grains, tracker, pathLosses, options, logger);
        _lossConfirmation = new ClusterLossConfirmation(
            ReachesActiveSiloAsync,
            () => tracker.CloseAll(CloseCodes.ReconnectAndRejoin, "the cluster is unreachable: rejoin"),
            options.Value.ClusterLossGrace,
            logger);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    private async Task<bool> ReachesActiveSiloAsync(CancellationToken cancellation)
    {
        var hosts = await _grains.GetGrain<IClusterViewGrain>(0).Silos().WaitAsync(cancellation);
        return hosts.Values.Any(status => status == SiloStatus.Active);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        // The silos' own views, not the management grain's: that one reads the membership store, and
        // a store outage must not make a gateway whose silos serve look unready.
        var view = _grains.GetGrain<IClusterViewGrain>(0);
        var quickUntil = 0L;
        while (!stopping.IsCancellationRequested)
        {
            var loss = _pathLosses.Next;
            var interval = Stopwatch.GetTimestamp() < quickUntil ? QuickInterval : _options.Value.ClusterWatchInterval;
            if (await Task.WhenAny(Task.Delay(interval, stopping), loss) == loss)
            {
                quickUntil = Stopwatch.GetTimestamp() + (long)(QuickPeriod.TotalSeconds * Stopwatch.Frequency);
            }

            if (stopping.IsCancellationRequested)
            {
                return;
            }

            try
            {
                // A silo answers this in milliseconds. One that does not may be the dead one the call
                // was routed to: give up soon and ask again, rather than leave its rooms' sockets open.
                var hosts = await view.Silos().WaitAsync(ViewTimeout, stopping);
                if (hosts.Values.Any(status => status == SiloStatus.Active))
                {
                    Interlocked.Exchange(ref _lastSeenActiveTicks, DateTime.UtcNow.Ticks);
                }

                var queuesMayBeLost = false;
                foreach (var (silo, status) in hosts)
                {
                    if (status is SiloStatus.ShuttingDown or SiloStatus.Stopping or SiloStatus.Dead && _gone.Add(silo))
                    {
                        LogSiloGone(silo.ToString(), status.ToString());
                        _pathLosses.Signal(); // its calls in flight may be lost; this also keeps the quick looks going
                        queuesMayBeLost = true;
                    }

                    // A silo that shuts down may lose its queues' last batches after it was first seen
                    // leaving: look for lost notifications again once it is dead.
                    queuesMayBeLost |= status == SiloStatus.Dead && _dead.Add(silo);
                }

                CloseSessionsOnGoneSilos(queuesMayBeLost);
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                LogWatchFailed(exception.Message);
                quickUntil = Stopwatch.GetTimestamp() + (long)(QuickPeriod.TotalSeconds * Stopwatch.Frequency); // look again soon
            }
        }
    }

    /// <summary>
    /// Closes the sessions whose room or peer was on a gone silo. When a silo has just gone (or
    /// died), the others ask their Peer for notifications its queues may have swallowed.
    /// </summary>
    private void CloseSessionsOnGoneSilos(bool queuesMayBeLost)
    {
        foreach (var connection in _tracker.Connections())
        {
            if (connection.PeerSilo is { } peerSilo && _gone.Contains(peerSilo))
            {
                connection.CloseForLostServer(ServerLoss.PeerServerFailed);
            }
            else if (connection.RoomSilo is { } roomSilo && _gone.Contains(roomSilo))
            {
                connection.CloseForLostServer(ServerLoss.RoomServerFailed);
            }
            else if (queuesMayBeLost)
            {
                connection.CheckForLostNotifications();
            }
        }
    }

    /// <summary>Orleans follows this with <see cref="NotifyGatewayCountChanged"/>, which resends what that connection carried.</summary>
    public void NotifyClusterConnectionLost() => _ = _lossConfirmation.ConfirmAsync(_stopping.Token);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            _pathLosses.Signal(); // calls sent through that silo may never be answered
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} left the cluster ({Status}): closing the sockets whose room or peer it hosted")]
    private partial void LogSiloGone(string silo, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster watch failed: {Reason}")]
    private partial void LogWatchFailed(string reason);
}
