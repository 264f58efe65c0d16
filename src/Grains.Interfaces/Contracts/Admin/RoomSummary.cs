namespace Coordinator.Grains.Interfaces;

/// <summary>One open room as the listing shows it: its size and where its media lives.</summary>
/// <param name="Id">The room id.</param>
/// <param name="Incarnation">This life of the room id (a room that closed and reopened has a new one).</param>
/// <param name="Silo">The silo hosting the Room grain and its router (<see cref="SiloAddress.ToParsableString"/>).</param>
/// <param name="Worker">The mediasoup worker holding the router, on that silo.</param>
/// <param name="Peers">Joined peers, spies included.</param>
[GenerateSerializer, Immutable, Alias("Coordinator.RoomSummary")]
public sealed record RoomSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] Guid Incarnation,
    [property: Id(2)] string Silo,
    [property: Id(3)] string Worker,
    [property: Id(4)] DateTimeOffset OpenedAt,
    [property: Id(5)] int Peers,
    [property: Id(6)] int Transports,
    [property: Id(7)] int Producers,
    [property: Id(8)] int Consumers);

/// <summary>The open rooms of one silo. <see cref="Misplaced"/>: the answering activation is not on that silo (it just joined or left), so its list is empty and must not be trusted.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.SiloRooms")]
public sealed record SiloRooms(
    [property: Id(0)] string Silo,
    [property: Id(1)] IReadOnlyList<RoomSummary> Rooms,
    [property: Id(2)] bool Misplaced = false);

/// <summary>The open rooms of the whole cluster, and the active silos that could not say (their rooms are missing from the list).</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.RoomListing")]
public sealed record RoomListing(
    [property: Id(0)] IReadOnlyList<RoomSummary> Rooms,
    [property: Id(1)] IReadOnlyList<string> UnreachableSilos);
