using Orleans.Concurrency;

namespace Coordinator.Grains.Interfaces;

/// <summary>
/// What one silo hosts, keyed by that silo's <see cref="SiloAddress.ToParsableString"/>: its open
/// rooms, connected peers, mediasoup workers (pid, CPU, memory) and the gateway leases it holds.
/// Placed like <see cref="ISiloRoomsGrain"/> (the caller sets the placement hint; an activation
/// elsewhere answers <see cref="SiloReport.Misplaced"/>). It reads in-memory registries and
/// <c>/proc</c>, and calls no grain.
/// </summary>
[Alias("Coordinator.ISiloReportGrain")]
public interface ISiloReportGrain : IGrainWithStringKey
{
    [AlwaysInterleave, ReadOnly, Alias("Report")]
    Task<SiloReport> Report();
}
