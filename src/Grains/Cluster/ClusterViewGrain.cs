using Coordinator.Grains.Interfaces;
using Orleans.Concurrency;

namespace Coordinator.Grains.Cluster;

/// <summary>Answers from this silo's membership view (see <see cref="IClusterViewGrain"/>).</summary>
[StatelessWorker]
public sealed class ClusterViewGrain(IClusterMembershipService membership) : Grain, IClusterViewGrain
{
    public Task<Dictionary<SiloAddress, SiloStatus>> Silos() =>
        Task.FromResult(membership.CurrentSnapshot.Members.ToDictionary(member => member.Key, member => member.Value.Status));
}
