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
    GatewayInstance gateway,
    ConnectionTracker tracker,
    GatewaySelfReport self,
    IOptions<GatewayOptions> options,
    ILogger<SessionLease> logger) : BackgroundService
{
    /// <summary>After a failed renewal, try again this soon: the lease must not run out while the cluster recovers.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private bool _complete = true;
    private long _sequence;

    /// <summary>
    /// A new session is reported at most this long after the previous renewal rather than at the
    /// next regular one: its peer's join waits for the report (so a gateway that dies at once never
    /// leaves the peer behind in its room), and this batches the reports of a burst of sockets.
    /// </summary>
    private static readonly TimeSpan EarlyReport = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var lease = grains.GetGrain<IGatewayLeaseGrain>(gateway.Id);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var renewed = await TryRenewAsync(lease, stopping);
                await Task.Delay(renewed ? EarlyReport : RetryDelay, stopping);
                if (renewed)
                {
                    // The regular renewal, or an earlier one when a socket opens.
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    var opened = tracker.SessionOpened(wait.Token).AsTask();
                    await Task.WhenAny(opened, Task.Delay(options.Value.SessionLeaseRenewal - EarlyReport, stopping));
                    await wait.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> TryRenewAsync(IGatewayLeaseGrain lease, CancellationToken stopping)
    {
        var settings = options.Value;
        var (opened, closed) = tracker.TakeSessionChanges(_complete);
        try
        {
            // A call stuck on a silo that just died must not use up the lease: give up early and retry.
            var status = await lease.Renew(new LeaseRenewal(++_sequence, settings.SessionLease, _complete, opened, closed, self.Load()))
                .WaitAsync(settings.SessionLeaseRenewal, stopping);
            _complete = status != LeaseStatus.Renewed;
            if (status == LeaseStatus.Renewed)
            {
                tracker.MarkReported(opened);
            }

            if (status == LeaseStatus.Expired)
            {
                LogExpired();
                tracker.CloseAll(CloseCodes.ReconnectAndRejoin, "this gateway lost contact with the cluster: rejoin");
            }

            return true;
        }
        catch (Exception exception) when (!stopping.IsCancellationRequested)
        {
            LogRenewalFailed(exception.Message);
            _complete = true;
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session lease renewal failed ({Reason}); the next renewal sends every session")]
    private partial void LogRenewalFailed(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The session lease had expired: the cluster removed this gateway's peers; closing their sockets")]
    private partial void LogExpired();
}
