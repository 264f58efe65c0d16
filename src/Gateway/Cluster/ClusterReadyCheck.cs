using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Coordinator.Gateway.Cluster;

/// <summary>
/// Ready: this node reaches the cluster and it has an active silo. (A silo starts only once its
/// mediasoup workers run, so an active silo also means workers are up.)
/// </summary>
internal sealed class ClusterReadyCheck(ClusterWatch watch) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(watch.SeesActiveSilos
            ? HealthCheckResult.Healthy("the cluster has an active silo")
            : HealthCheckResult.Unhealthy("no active silo seen recently"));
}
