using System.Text.Json;
using Orleans.Concurrency;

namespace Coordinator.Grains.Interfaces;

/// <summary>
/// A mediasoup Room, keyed by room id. It is the serialization point of the room: membership,
/// producers and consumers change only here, one operation at a time, like the reference
/// server's single thread.
/// <para>Call graph (no cycles): gateway → Room (<c>queryRoom</c>, admin); gateway → Peer → Room (every
/// request of a joined or joining peer); Room → Peer only through <see cref="IPeerGrain"/> hand-over
/// methods, which interleave and never call back.</para>
/// </summary>
[Alias("Coordinator.IRoomGrain")]
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary><c>queryRoom</c>: the Room's RTP capabilities; the request is the mediasoup request object.</summary>
    [Alias("QueryRoom")]
    Task<MediasoupResult> QueryRoom(JsonElement request);

    /// <summary><c>join</c> of a connected session, asked by its Peer; the request is the mediasoup request object.</summary>
    [Alias("Join")]
    Task<RoomAnswer> Join(PeerSession session, JsonElement request);

    /// <summary>A joined peer's mediasoup request (already checked by its Peer grain: an object, a request, a string method).</summary>
    [Alias("PeerRequest")]
    Task<RoomAnswer> PeerRequest(PeerSession session, Guid incarnation, string method, JsonElement request);

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
    /// Server-side close of the current incarnation (docs/protocol.md#cascades): each peer in join order gets
    /// <c>closed</c> and its socket is ended with <see cref="CloseCodes.DoNotReconnect"/>; peers not yet
    /// closed get <c>peerClosed</c> for each earlier non-spy peer. The next use opens a new room.
    /// </summary>
    [Alias("Close")]
    Task Close(string reason);

    /// <summary>Events of the incarnation's media router, in the worker's order (called by the silo's media plane).</summary>
    [Alias("OnMediaEvents")]
    Task OnMediaEvents(Guid incarnation, MediaEvent[] events);

    /// <summary>The silo hosting this room and its media router (Peer placement asks it, so a Peer lives beside its Room).</summary>
    [AlwaysInterleave, ReadOnly, Alias("Host")]
    Task<SiloAddress> Host();

    /// <summary>Diagnostics for operators and tests: the current incarnation and its peers.</summary>
    [Alias("Describe")]
    Task<RoomSnapshot> Describe();

    // Administration (the gateway's admin API). Like every Room operation they run one at a
    // time with the peers' messages; none opens a room except ApplyLifecycleSettings.

    /// <summary>
    /// The whole open room; with <paramref name="withWorkerDumps"/> each transport, producer and
    /// consumer also carries the worker's dump of it (one worker request per object). Null when
    /// the room is not open.
    /// </summary>
    [Alias("Dump")]
    Task<RoomDump?> Dump(bool withWorkerDumps);

    /// <summary>
    /// <see cref="Dump(bool)"/> with, as asked, each producer's and enabled consumer's stats (one
    /// <c>getStats</c> worker request per object, at most <see cref="RoomDumpRequest.MaxStatsObjects"/>).
    /// </summary>
    [Alias("DumpWith")]
    Task<RoomDump?> Dump(RoomDumpRequest request);

    /// <summary><see cref="Close"/> for an operator: <see cref="AdminStatus.RoomNotFound"/> when the room is not open.</summary>
    [Alias("CloseByAdmin")]
    Task<AdminStatus> CloseByAdmin(string reason);

    /// <summary>
    /// Server-side close of one peer (docs/protocol.md#cascades, the reference's <c>peer.close(appData)</c>):
    /// it gets <c>closed</c> and its socket ends with <see cref="CloseCodes.DoNotReconnect"/>; the
    /// others get <c>peerClosed</c> (unless it is a spy); its producers, consumers and transports close.
    /// </summary>
    [Alias("RemovePeer")]
    Task<AdminStatus> RemovePeer(string peerName, JsonElement? appData, string reason);

    /// <summary>
    /// Server-side pause or resume of a producer (the reference's <c>producer.pause/resume(appData)</c>,
    /// docs/protocol.md#pausing): its owner gets <c>producerPaused</c>/<c>producerResumed</c>, its consumers
    /// <c>consumerPaused</c>/<c>consumerResumed</c> when the effective state flips. The owner's own
    /// <c>resumeProducer</c> cannot undo a server pause.
    /// </summary>
    [Alias("SetProducerPaused")]
    Task<ProducerPauseResult> SetProducerPaused(uint producerId, bool paused, JsonElement? appData);

    /// <summary>The lifecycle settings in force; null when the room is not open.</summary>
    [Alias("LifecycleSettings")]
    Task<RoomLifecycleSettings?> LifecycleSettings();

    /// <summary>
    /// Replaces the room's overrides (null values: the deployment's) and returns the settings in
    /// force. Opens the room if needed, as a first use would, so an operator can prepare a room
    /// before its peers arrive; an empty room's timer restarts with the new timeout. The overrides
    /// live as long as this incarnation. Null when the room could not be opened (no media worker,
    /// silo full).
    /// </summary>
    [Alias("ApplyLifecycleSettings")]
    Task<RoomLifecycleSettings?> ApplyLifecycleSettings(RoomSettingsOverride overrides);
}
