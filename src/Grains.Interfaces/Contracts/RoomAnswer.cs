namespace Coordinator.Grains.Interfaces;

/// <summary>What the Room answers a Peer's request.</summary>
/// <param name="Result">The mediasoup result the socket gets.</param>
/// <param name="Operation">
/// The number of the Room's last operation when it answered (its own, or the one before it when it
/// failed early). Notifications from operations up to it belong before the answer, later ones
/// after: the Peer orders what the Room handed over meanwhile by it.
/// </param>
/// <param name="Incarnation">After a successful <c>join</c>, the room incarnation the peer joined.</param>
/// <param name="Host">After a <c>join</c>, the silo of the room and its media.</param>
[GenerateSerializer, Immutable, Alias("Coordinator.RoomAnswer")]
public sealed record RoomAnswer(
    [property: Id(0)] MediasoupResult Result,
    [property: Id(1)] long Operation,
    [property: Id(2)] Guid? Incarnation = null,
    [property: Id(3)] SiloAddress? Host = null);
