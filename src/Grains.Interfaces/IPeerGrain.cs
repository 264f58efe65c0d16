using System.Text.Json;
using Orleans.Concurrency;

namespace Coordinator.Grains.Interfaces;

/// <summary>
/// A mediasoup Peer, keyed by <see cref="GrainKeys.Peer"/>. It owns the connected session and is
/// the only publisher of that session's notifications: it numbers every one of them.
/// </summary>
[Alias("Coordinator.IPeerGrain")]
public interface IPeerGrain : IGrainWithStringKey
{
    /// <summary>
    /// A socket for this peer opened. A previous session is replaced: its peer leaves the room and
    /// its socket is told to close with <see cref="CloseCodes.DoNotReconnect"/>. Returns the silo
    /// hosting this grain: if that silo dies, the session's numbering dies with it.
    /// </summary>
    [Alias("Connect")]
    Task<SiloAddress> Connect(PeerSession session);

    /// <summary>
    /// The session's socket closed (or its gateway's lease expired): its peer leaves the room as if
    /// it had sent <c>leave</c>. Also when this grain no longer knows the session (its silo died),
    /// so the room never keeps a peer whose socket is gone.
    /// </summary>
    [Alias("Disconnect")]
    Task Disconnect(PeerSession session);

    /// <summary>
    /// A mediasoup request of the session's socket other than <c>queryRoom</c>: <c>join</c> (which
    /// this grain takes to its Room) and every peer request. <paramref name="number"/> is the
    /// gateway's count of the session's requests (1, 2, …): a call that repeats a recent number gets
    /// the first call's answer without running the request again, so a gateway may send a request
    /// again when the path of the first call was lost (a silo on the way died). 0: not repeatable.
    /// </summary>
    [Alias("Request")]
    Task<PeerAnswer> Request(PeerSession session, long number, JsonElement request);

    /// <summary>
    /// A peer-target mediasoup notification from the client (errors are logged, never answered).
    /// <paramref name="number"/> is counted with the requests' numbers: a repeated recent number is
    /// not run again, so a gateway may send a notification again when its first call's path was lost.
    /// 0: not repeatable.
    /// </summary>
    [Alias("Notify")]
    Task Notify(PeerSession session, long number, JsonElement notification);

    /// <summary>
    /// The session's notification items from seq <paramref name="fromSeq"/> on, in order, as
    /// published (empty when none was numbered yet), for a gateway that found some missing: a
    /// notification queue on a silo that died loses what it held. Null when they are no longer
    /// kept, or this grain no longer knows the session (its silo died): the gateway then closes the
    /// socket with <see cref="CloseCodes.ReconnectAndRejoin"/>. Calls nothing, so it interleaves.
    /// </summary>
    [AlwaysInterleave, Alias("Resend")]
    Task<SessionStreamItem[]?> Resend(PeerSession session, long fromSeq);

    /// <summary>Diagnostics for operators and tests.</summary>
    [Alias("Describe")]
    Task<PeerSnapshot> Describe();

    // Hand-over methods called by the Room. They interleave with a pending Peer → Room call and
    // never call the Room back, so Room → Peer → Room cannot deadlock.

    /// <summary>
    /// Numbers and publishes notifications for the session, in the given order; they come from the
    /// Room's operation number <paramref name="operation"/> (see <see cref="RoomAnswer.Operation"/>).
    /// </summary>
    [AlwaysInterleave, Alias("Deliver")]
    Task Deliver(PeerSession session, Guid incarnation, long operation, JsonElement[] notifications);

    /// <summary>Server-side close (room closed, kicked): sends <c>closed</c>, then ends the session's socket.</summary>
    [AlwaysInterleave, Alias("CloseByServer")]
    Task CloseByServer(PeerSession session, Guid incarnation, long operation, JsonElement? appData, string reason);
}
