namespace Coordinator.Grains.Interfaces;

/// <summary>What one silo reports about itself (see <see cref="ISiloReportGrain"/>).</summary>
/// <param name="Silo">Its address (<see cref="SiloAddress.ToParsableString"/>).</param>
/// <param name="ConnectedPeers">Connected peer sessions whose Peer grain lives on it.</param>
/// <param name="Gateways">The gateways whose session lease it holds.</param>
/// <param name="Misplaced">The answering activation is not on that silo (it just joined or left): the rest must not be trusted.</param>
[GenerateSerializer, Immutable, Alias("Coordinator.SiloReport")]
public sealed record SiloReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] string HostName,
    [property: Id(2)] IReadOnlyList<RoomSummary> Rooms,
    [property: Id(3)] int ConnectedPeers,
    [property: Id(4)] MediaPlaneReport Media,
    [property: Id(5)] IReadOnlyList<GatewayReport> Gateways,
    [property: Id(6)] bool Misplaced = false);

/// <summary>
/// One silo in the cluster view. <see cref="Health"/>: <c>ok</c>; <c>degraded</c> (fewer media
/// workers running than configured, or not active); <c>unreachable</c> (it did not answer:
/// <see cref="Problem"/> says why, and the fields it would have filled are empty).
/// </summary>
/// <param name="Status">Its membership status as the answering silo sees it (<c>Active</c>, <c>Joining</c>, <c>ShuttingDown</c>, …).</param>
[GenerateSerializer, Immutable, Alias("Coordinator.ClusterSilo")]
public sealed record ClusterSilo(
    [property: Id(0)] string Address,
    [property: Id(1)] string Status,
    [property: Id(2)] string Health,
    [property: Id(3)] string? Problem,
    [property: Id(4)] string? HostName,
    [property: Id(5)] IReadOnlyList<RoomSummary> Rooms,
    [property: Id(6)] int ConnectedPeers,
    [property: Id(7)] int ConfiguredWorkers,
    [property: Id(8)] IReadOnlyList<MediaWorkerReport> Workers);

/// <summary>The cluster view: every silo that is not dead, and the gateways whose leases the answering silos hold.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.ClusterReport")]
public sealed record ClusterReport(
    [property: Id(0)] IReadOnlyList<ClusterSilo> Silos,
    [property: Id(1)] IReadOnlyList<GatewayReport> Gateways);
