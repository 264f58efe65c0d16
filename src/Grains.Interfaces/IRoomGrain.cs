using System.Text.Json;
using Orleans.Concurrency;

namespace Coordinator.Grains.Interfaces;

/// <summary>
/// A mediasoup Room, keyed by room id. It is the serialization point of the room: membership,
/// producers and consumers change only here, one operation at a time, like the reference
/// server's single thread.
/// <para>Call graph (no cycles): gateway → Room; gateway → Peer → Room; Room → Peer only through
/// <see cref="IPeerGrain"/> hand-over methods, which interleave and never call back.</para>
/// </summary>
[Alias("Coordinator.IRoomGrain")]
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary><c>queryRoom</c>: the Room's RTP capabilities.</summary>
    [Alias("QueryRoom")]
    Task<MediasoupResult> QueryRoom();

    /// <summary><c>join</c> on behalf of a connected session; the request is the mediasoup request object.</summary>
    [Alias("Join")]
    Task<MediasoupResult> Join(PeerSession session, JsonElement request);

    /// <summary>A joined peer's mediasoup request (already checked by its Peer grain: an object, a request, a string method).</summary>
    [Alias("PeerRequest")]
    Task<MediasoupResult> PeerRequest(PeerSession session, Guid incarnation, string method, JsonElement request);

    /// <summary>A joined peer's mediasoup notification other than <c>leave</c>; failures are logged, never answered.</summary>
    [Alias("PeerNotify")]
    Task PeerNotify(PeerSession session, Guid incarnation, string method, JsonElement notification);

    /// <summary>
    /// The peer of <paramref name="session"/> leaves (client <c>leave</c>, socket closed, replaced).
    /// Ignored unless that session is a member of the current incarnation; a null
    /// <paramref name="incarnation"/> (the Peer grain lost its state with its silo) matches the
    /// session alone, which is unique per socket.
    /// </summary>
    [Alias("Leave")]
    Task Leave(PeerSession session, Guid? incarnation, JsonElement? appData);

    /// <summary>
    /// Server-side close of the current incarnation (SPEC.md §5.7.2): each peer in join order gets
    /// <c>closed</c> and its socket is ended with <see cref="CloseCodes.DoNotReconnect"/>; peers not yet
    /// closed get <c>peerClosed</c> for each earlier non-spy peer. The next use opens a new room.
    /// </summary>
    [Alias("Close")]
    Task Close(string reason);

    /// <summary>Events of the incarnation's media router, in the worker's order (called by the silo's media plane).</summary>
    [Alias("OnMediaEvents")]
    Task OnMediaEvents(Guid incarnation, MediaEvent[] events);

    /// <summary>The silo hosting this room and its media router: if that silo dies, the room's media is gone.</summary>
    [AlwaysInterleave, ReadOnly, Alias("Host")]
    Task<SiloAddress> Host();

    /// <summary>Diagnostics for operators and tests: the current incarnation and its peers.</summary>
    [Alias("Describe")]
    Task<RoomSnapshot> Describe();
}
