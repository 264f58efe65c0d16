namespace Coordinator.Grains.Interfaces;

/// <summary>
/// One WebSocket connection bound to (roomId, peerName). A new socket for the same peer is a new
/// session; everything addressed to an older session is ignored, so a replaced socket can never
/// act on, or see, the new one.
/// </summary>
/// <param name="NotificationStream">
/// The key of the notification stream that serves this session: its gateway's, shared with that
/// gateway's other sessions (see <see cref="GrainKeys.NotificationStream"/>).
/// </param>
[GenerateSerializer, Immutable, Alias("Coordinator.PeerSession")]
public sealed record PeerSession(
    [property: Id(0)] string RoomId,
    [property: Id(1)] string PeerName,
    [property: Id(2)] Guid SessionId,
    [property: Id(3)] PeerGrants Grants,
    [property: Id(4)] string NotificationStream)
{
    /// <summary>The PeerGrain key: both parts escaped so that no (room, peer) pair can collide.</summary>
    public string PeerKey => GrainKeys.Peer(RoomId, PeerName);

    public override string ToString() => $"{RoomId}/{PeerName}#{SessionId:N}";
}
