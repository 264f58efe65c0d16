namespace Coordinator.Grains.Interfaces;

/// <summary>
/// One WebSocket connection bound to (roomId, peerName). A new socket for the same peer is a new
/// session; everything addressed to an older session is ignored, so a replaced socket can never
/// act on, or see, the new one.
/// </summary>
[GenerateSerializer, Immutable, Alias("Coordinator.PeerSession")]
public sealed record PeerSession(
    [property: Id(0)] string RoomId,
    [property: Id(1)] string PeerName,
    [property: Id(2)] Guid SessionId,
    [property: Id(3)] PeerGrants Grants = PeerGrants.All)
{
    /// <summary>The PeerGrain key: both parts escaped so that no (room, peer) pair can collide.</summary>
    public string PeerKey => GrainKeys.Peer(RoomId, PeerName);

    /// <summary>The key of this session's notification stream.</summary>
    public string StreamKey => $"{PeerKey}/{SessionId:N}";

    public override string ToString() => $"{RoomId}/{PeerName}#{SessionId:N}";
}
