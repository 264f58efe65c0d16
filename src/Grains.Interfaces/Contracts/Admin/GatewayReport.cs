namespace Coordinator.Grains.Interfaces;

/// <summary>What a gateway says about itself with each lease renewal (see <see cref="LeaseRenewal"/>).</summary>
/// <param name="Urls">The addresses its public listener serves.</param>
/// <param name="Connections">WebSocket connections it holds: browser sockets and frontend connections.</param>
/// <param name="Ready">Its readiness check passes (it sees an active silo and its notification streams are subscribed).</param>
[GenerateSerializer, Immutable, Alias("Coordinator.GatewayLoad")]
public sealed record GatewayLoad(
    [property: Id(0)] IReadOnlyList<string> Urls,
    [property: Id(1)] int Connections,
    [property: Id(2)] bool Ready);

/// <summary>
/// A gateway as its session lease knows it. <see cref="Health"/>: <c>ok</c> (renewing),
/// <c>late</c> (no renewal for over half the lease), <c>expired</c> (its sessions were
/// disconnected: it stopped, died or was cut off), <c>unready</c> (renewing, but its own
/// readiness check fails).
/// </summary>
/// <param name="Id">The gateway's instance id (<c>machine/pid/guid</c>, new with each process start).</param>
/// <param name="Sessions">Peer sessions the lease holds for it (browser sockets and frontend sessions).</param>
/// <param name="LeaseSilo">The silo holding its lease.</param>
[GenerateSerializer, Immutable, Alias("Coordinator.GatewayReport")]
public sealed record GatewayReport(
    [property: Id(0)] string Id,
    [property: Id(1)] IReadOnlyList<string> Urls,
    [property: Id(2)] int Sessions,
    [property: Id(3)] int? Connections,
    [property: Id(4)] string Health,
    [property: Id(5)] DateTimeOffset LastRenewal,
    [property: Id(6)] string LeaseSilo);
