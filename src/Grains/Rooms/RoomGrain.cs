using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Interfaces;
using Coordinator.Protocol;
using Coordinator.Protocol.Messages;
using Coordinator.Protocol.Ortc;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Rooms;

/// <summary>
/// The Room: membership and fan-out, one operation at a time (the grain is not reentrant, so an
/// operation's awaits never interleave with another operation). It calls peers only through
/// their hand-over methods, which interleave and never call back.
/// </summary>
public sealed class RoomGrain(RoomSettings settings, ILogger<RoomGrain> logger) : Grain, IRoomGrain
{
    private readonly JsonObject _rtpCapabilities = JsonNode.Parse(settings.RtpCapabilities.GetRawText())!.AsObject();
    private RoomIncarnation? _incarnation;
    private IGrainTimer? _emptyRoomTimer;

    private string RoomId => this.GetPrimaryKeyString();

    public Task<MediasoupResult> QueryRoom()
    {
        var room = Open();
        return Task.FromResult(room.Closed
            ? Rejected(MessageValidation.RoomClosed())
            : MediasoupResult.Success(settings.QueryRoomResponse));
    }

    public async Task<MediasoupResult> Join(PeerSession session, JsonElement request)
    {
        var room = Open();
        JoinRequest join;
        try
        {
            join = JoinRequest.Validate(room, session, request, _rtpCapabilities);
        }
        catch (MediasoupError error)
        {
            return Rejected(error);
        }

        if (!await Peer(session).Admit(session, room.Id))
        {
            return MediasoupResult.Rejected("Error: this connection was replaced by a newer one");
        }

        var member = new RoomMember(session, join.Spy, join.RtpCapabilities, join.AppData);
        room.Add(member);
        CancelEmptyRoomTimer();
        logger.LogInformation("Peer {Peer} joined room {Room} ({Incarnation}){Spy}", member.Name, RoomId, room.Id, member.Spy ? " as a spy" : "");

        if (!member.Spy)
        {
            var newPeer = ServerNotifications.NewPeer(member.Name, member.AppData);
            await DeliverToAll(room, room.Members.Where(other => other != member), newPeer);
        }

        return MediasoupResult.Success(JoinResponse(room, member));
    }

    public async Task Leave(PeerSession session, Guid incarnation, JsonElement? appData)
    {
        if (_incarnation is not { } room || room.Id != incarnation || room.Find(session.PeerName) is not { } member
            || member.Session != session)
        {
            return;
        }

        room.Remove(member);
        logger.LogInformation("Peer {Peer} left room {Room} ({Incarnation})", member.Name, RoomId, room.Id);
        if (!member.Spy)
        {
            await DeliverToAll(room, room.Members, ServerNotifications.PeerClosed(member.Name, appData));
        }

        if (room.Members.Count == 0)
        {
            ScheduleCloseWhileEmpty(room);
        }
    }

    public async Task Close(string reason)
    {
        if (_incarnation is not { } room)
        {
            return;
        }

        room.Closed = true;
        logger.LogInformation("Room {Room} ({Incarnation}) closing: {Reason}", RoomId, room.Id, reason);
        while (room.Members.Count > 0)
        {
            var member = room.Members[0];
            room.Remove(member);
            try
            {
                await Peer(member.Session).CloseByServer(member.Session, room.Id, appData: null, reason);
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Could not close {Peer} in room {Room}", member.Name, RoomId);
            }

            if (!member.Spy)
            {
                await DeliverToAll(room, room.Members, ServerNotifications.PeerClosed(member.Name, appData: null));
            }
        }

        CloseEmpty(room);
    }

    public Task<RoomSnapshot> Describe() => Task.FromResult(new RoomSnapshot(
        _incarnation?.Id,
        _incarnation?.Closed ?? false,
        _incarnation?.Members.Select(member => member.Name).ToArray() ?? [],
        GrainContext.ActivationId.ToString()));

    /// <summary>The live incarnation, or a fresh one: the first use of a room id (again) opens it.</summary>
    private RoomIncarnation Open()
    {
        if (_incarnation is { } live)
        {
            return live;
        }

        var room = new RoomIncarnation();
        _incarnation = room;
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        logger.LogInformation("Room {Room} opened ({Incarnation})", RoomId, room.Id);
        ScheduleCloseWhileEmpty(room);
        return room;
    }

    private void ScheduleCloseWhileEmpty(RoomIncarnation room)
    {
        CancelEmptyRoomTimer();

        // A timer even for a zero grace period: its tick runs after the current operation, so an
        // operation never finds the room closed under it, and a join already queued keeps it open.
        _emptyRoomTimer = this.RegisterGrainTimer(
            () =>
            {
                if (_incarnation == room && room.Members.Count == 0)
                {
                    CloseEmpty(room);
                }

                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions(settings.EmptyRoomGracePeriod, Timeout.InfiniteTimeSpan));
    }

    private void CloseEmpty(RoomIncarnation room)
    {
        CancelEmptyRoomTimer();
        room.Closed = true;
        _incarnation = null;
        logger.LogInformation("Room {Room} closed ({Incarnation})", RoomId, room.Id);
        DeactivateOnIdle();
    }

    private void CancelEmptyRoomTimer()
    {
        _emptyRoomTimer?.Dispose();
        _emptyRoomTimer = null;
    }

    /// <summary>
    /// Hands one notification to each recipient, in parallel across peers. The Room awaits every
    /// hand-over before its next operation, so each peer receives notifications in Room order.
    /// </summary>
    private async Task DeliverToAll(RoomIncarnation room, IEnumerable<RoomMember> recipients, JsonElement notification)
    {
        JsonElement[] batch = [notification];
        var deliveries = recipients.Select(async recipient =>
        {
            try
            {
                await Peer(recipient.Session).Deliver(recipient.Session, room.Id, batch);
            }
            catch (Exception exception)
            {
                // The peer's seq stays gap-free only if numbering happened; a peer we cannot reach
                // is left to its gateway's failure handling.
                logger.LogWarning(exception, "Could not hand a notification to {Peer} in room {Room}", recipient.Name, RoomId);
            }
        });
        await Task.WhenAll(deliveries);
    }

    private static JsonElement JoinResponse(RoomIncarnation room, RoomMember joiner)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("peers");
            foreach (var other in room.Members.Where(other => other != joiner && !other.Spy))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("consumers");
                writer.WriteEndArray();
                writer.WriteString("name", other.Name);
                ServerNotifications.WriteOptional(writer, "appData", other.AppData);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private IPeerGrain Peer(PeerSession session) => GrainFactory.GetGrain<IPeerGrain>(session.PeerKey);

    private static MediasoupResult Rejected(MediasoupError error) => MediasoupResult.Rejected(error.Reason);
}
