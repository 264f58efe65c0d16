using Coordinator.Gateway.Connections;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Coordinator.Gateway.Cluster;

/// <summary>
/// Ready: this node reaches the cluster, it has an active silo (a silo starts only once its
/// mediasoup workers run, so an active silo also means workers are up), and this gateway's
/// notification streams are subscribed.
/// </summary>
internal sealed class ClusterReadyCheck(ClusterWatch watch, GatewayNotifications notifications) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult((watch.SeesActiveSilos, notifications.Subscribed) switch
        {
            (false, _) => HealthCheckResult.Unhealthy("no active silo seen recently"),
            (true, false) => HealthCheckResult.Unhealthy("this gateway's notification streams are not subscribed yet"),
            _ => HealthCheckResult.Healthy("the cluster has an active silo and this gateway's notification streams are subscribed"),
        });
}
