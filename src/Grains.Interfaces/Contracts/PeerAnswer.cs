namespace Coordinator.Grains.Interfaces;

/// <summary>A Peer's answer to a request of its socket.</summary>
/// <param name="Result">The mediasoup result the socket gets.</param>
/// <param name="NotifiedThrough">
/// The last notification <c>seq</c> the Peer had numbered when it answered: the gateway writes every
/// notification up to it before the answer and every later one after, as the reference's single
/// thread would have sent them.
/// </param>
/// <param name="RoomHost">After a successful <c>join</c>, the silo of the room (and its media): if it dies, the room is gone.</param>
[GenerateSerializer, Immutable, Alias("Coordinator.PeerAnswer")]
public sealed record PeerAnswer(
    [property: Id(0)] MediasoupResult Result,
    [property: Id(1)] long NotifiedThrough,
    [property: Id(2)] SiloAddress? RoomHost = null);
