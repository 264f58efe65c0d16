using Orleans.Concurrency;

namespace Coordinator.Grains.Interfaces;

/// <summary>
/// The cluster's silos as the silo that answers sees them, from its membership view in memory.
/// Unlike <see cref="IManagementGrain.GetHosts"/> it reads nothing from the membership store, so a
/// gateway can tell whether silos serve while the store is slow or down. A stateless worker: the
/// answer comes from whichever silo the call reaches, which calls nothing.
/// </summary>
[Alias("Coordinator.IClusterViewGrain")]
public interface IClusterViewGrain : IGrainWithIntegerKey
{
    [AlwaysInterleave, ReadOnly, Alias("Silos")]
    Task<Dictionary<SiloAddress, SiloStatus>> Silos();
}
