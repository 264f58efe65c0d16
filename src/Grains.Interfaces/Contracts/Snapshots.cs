namespace Coordinator.Grains.Interfaces;

/// <summary>What a room looks like right now; for operators and tests, not part of the wire protocol.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.RoomSnapshot")]
public sealed record RoomSnapshot(
    [property: Id(0)] Guid? Incarnation,
    [property: Id(1)] bool Closed,
    [property: Id(2)] IReadOnlyList<string> Peers,
    [property: Id(3)] string ActivationId);

/// <summary>What a peer grain looks like right now; for operators and tests.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.PeerSnapshot")]
public sealed record PeerSnapshot(
    [property: Id(0)] PeerSession? Session,
    [property: Id(1)] Guid? Incarnation,
    [property: Id(2)] bool Closed,
    [property: Id(3)] long LastSeq,
    [property: Id(4)] string ActivationId);
