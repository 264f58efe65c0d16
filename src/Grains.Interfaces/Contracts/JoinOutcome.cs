namespace Coordinator.Grains.Interfaces;

/// <summary>What the Room answers a Peer's <c>join</c>: the result and, when it succeeded, where the peer now belongs.</summary>
/// <param name="Result">The mediasoup result of the join.</param>
/// <param name="Incarnation">The room incarnation the peer joined; null when the join failed.</param>
/// <param name="Host">The silo of the room and its media.</param>
[GenerateSerializer, Immutable, Alias("Coordinator.JoinOutcome")]
public sealed record JoinOutcome(
    [property: Id(0)] MediasoupResult Result,
    [property: Id(1)] Guid? Incarnation,
    [property: Id(2)] SiloAddress Host);
