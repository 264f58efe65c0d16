using Orleans.Concurrency;

namespace Coordinator.Grains.Interfaces;

/// <summary>
/// The open rooms of one silo, keyed by that silo's <see cref="SiloAddress.ToParsableString"/>.
/// It must be activated on that silo: callers set the Orleans placement hint (see
/// <see cref="IRoomDirectoryGrain"/>), and an activation that finds itself elsewhere answers
/// <see cref="SiloRooms.Misplaced"/>. It reads the silo's in-memory registry and calls no grain.
/// </summary>
[Alias("Coordinator.ISiloRoomsGrain")]
public interface ISiloRoomsGrain : IGrainWithStringKey
{
    [AlwaysInterleave, ReadOnly, Alias("List")]
    Task<SiloRooms> List();
}

/// <summary>
/// The open rooms of the whole cluster: it asks the management grain for the active silos, then
/// each silo's <see cref="ISiloRoomsGrain"/>, in parallel. A stateless worker, so listing costs one
/// call per silo from wherever it runs and never waits on a Room. Call graph: gateway → directory
/// → management grain and per-silo registries, which call nothing back.
/// </summary>
[Alias("Coordinator.IRoomDirectoryGrain")]
public interface IRoomDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("ListRooms")]
    Task<RoomListing> ListRooms();
}
