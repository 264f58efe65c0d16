using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Hosting;
using Coordinator.Grains.Interfaces;
using Microsoft.Extensions.Options;

namespace Coordinator.Gateway.Cluster;

/// <summary>
/// Keeps this gateway's session lease alive (<see cref="IGatewayLeaseGrain"/>): if this process
/// dies, the lease runs out and the cluster disconnects its peers. After a failed renewal, or when
/// the lease has lost its state, the next renewal carries the complete session list. A lease that
/// expired anyway (this gateway was cut off) means the cluster already removed these peers, so
/// their sockets are closed for the clients to rejoin.
/// </summary>
internal sealed partial class SessionLease(
    IGrainFactory grains,
    ConnectionTracker tracker,
    IOptions<GatewayOptions> options,
    ILogger<SessionLease> logger) : BackgroundService
{
    /// <summary>Unique per process: a restarted gateway never inherits a dead one's lease.</summary>
    public static readonly string InstanceId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var lease = grains.GetGrain<IGatewayLeaseGrain>(InstanceId);
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.SessionLeaseRenewal);
        var complete = true;
        do
        {
            var (opened, closed) = tracker.TakeSessionChanges(complete);
            try
            {
                var status = await lease.Renew(new LeaseRenewal(settings.SessionLease, complete, opened, closed))
                    .WaitAsync(settings.SessionLease, stopping);
                complete = status != LeaseStatus.Renewed;
                if (status == LeaseStatus.Expired)
                {
                    LogExpired();
                    tracker.CloseAll(CloseCodes.ReconnectAndRejoin, "this gateway lost contact with the cluster: rejoin");
                }
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                LogRenewalFailed(exception.Message);
                complete = true;
            }
        }
        while (await timer.TickOrStopAsync(stopping));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session lease renewal failed ({Reason}); the next renewal sends every session")]
    private partial void LogRenewalFailed(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The session lease had expired: the cluster removed this gateway's peers; closing their sockets")]
    private partial void LogExpired();
}
