using System.Text.Json;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Protocol.Messages;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary>
/// What the reference's server application may do to a room on its own, exposed through the admin
/// API: close a peer (<c>peer.close(appData)</c>, docs/protocol.md#cascades) and pause or resume a producer
/// (<c>producer.pause/resume(appData)</c>, the "server" rows of docs/protocol.md#pausing).
/// </summary>
internal static class AdminOperations
{
    /// <summary>
    /// The peer gets <c>closed</c> (then its socket ends), leaves the room, the others get
    /// <c>peerClosed</c> unless it is a spy, and its producers (without <c>consumerClosed</c>),
    /// consumers and transports close, in the media plane too.
    /// </summary>
    public static async Task ClosePeerAsync(RoomOperation op, RoomMember member, JsonElement? appData, string reason)
    {
        op.Outbox.CloseByServer(member, appData, reason);
        op.Room.Remove(member);
        if (!member.Spy)
        {
            var peerClosed = ServerNotifications.PeerClosed(member.Name, appData);
            foreach (var other in op.Room.Members)
            {
                op.Outbox.Notify(other, peerClosed);
            }
        }

        await RoomCascades.ClosePeerAsync(op, member, closeInMedia: true);
    }

    /// <summary>
    /// Server pause: ignored when already server-paused. The owner gets <c>producerPaused</c> even
    /// if its client had paused it already; consumers hear of it only if the effective state
    /// flips. The flag is separate from the client's, so its <c>resumeProducer</c> cannot undo it.
    /// </summary>
    public static async Task<bool> PauseProducerAsync(RoomOperation op, RoomProducer producer, JsonElement? appData)
    {
        if (producer.LocallyPaused)
        {
            return false;
        }

        var wasPaused = producer.Paused;
        await op.Media(router => router.PauseProducerAsync(producer.Id));
        producer.LocallyPaused = true;
        op.Outbox.Notify(producer.Owner, ServerNotifications.ProducerPaused(producer.Id, producer.Owner.Name, appData));
        if (!wasPaused)
        {
            ConsumerOperations.SourcePausedChanged(op, producer);
        }

        return true;
    }

    /// <summary>Server resume: ignored unless server-paused; media resumes only if the client has not paused it too.</summary>
    public static async Task<bool> ResumeProducerAsync(RoomOperation op, RoomProducer producer, JsonElement? appData)
    {
        if (!producer.LocallyPaused)
        {
            return false;
        }

        if (!producer.RemotelyPaused)
        {
            await op.Media(router => router.ResumeProducerAsync(producer.Id));
        }

        producer.LocallyPaused = false;
        op.Outbox.Notify(producer.Owner, ServerNotifications.ProducerResumed(producer.Id, producer.Owner.Name, appData));
        if (!producer.Paused)
        {
            ConsumerOperations.SourcePausedChanged(op, producer);
        }

        return true;
    }
}
