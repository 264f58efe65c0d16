using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Media;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Grains.Rooms.Operations;
using Coordinator.Protocol;
using Coordinator.Protocol.Messages;
using Microsoft.Extensions.Logging;
using Orleans.Placement;

namespace Coordinator.Grains.Rooms;

/// <summary>
/// The Room: all mediasoup state of a room (peers, transports, producers, consumers), changed one
/// operation at a time like the reference server's single thread. The grain is not reentrant, so
/// an operation's awaits never interleave with another operation; each operation's notifications
/// are handed to the peers before the next one starts, through hand-over methods that interleave
/// and never call back.
/// <para>Media affinity: each incarnation creates its router on a worker of the silo where this
/// activation runs, and only this grain holds the router handle. Every media call of the room is
/// made here (Peer grains on other silos call the Room, never the media plane), so it always
/// reaches the worker's silo. The activation is <see cref="ImmovableAttribute">immovable</see> and
/// kept alive while the incarnation is open; if its silo dies, the room's media dies with it and
/// the next use of the room id opens a fresh room elsewhere.</para>
/// <para>Placement by activation count (power of two choices, counting its own recent picks):
/// Orleans' default, resource-optimized placement, sends a burst of new rooms to whichever silo
/// scored best at its last statistics, so rooms piled up on one silo. A room's activations (it and
/// its Peers) stand for its load well enough.</para>
/// </summary>
[Immovable]
[ActivationCountBasedPlacement]
public sealed partial class RoomGrain(RoomSettings settings, IMediaPlane media, OpenRooms openRooms, SharedCapabilities capabilities, ILogger<RoomGrain> logger) : Grain, IRoomGrain, IRoomTimers
{
    private static readonly MediasoupResult MediaUnavailable =
        MediasoupResult.Rejected("Error: no media worker could take this room; try again later", 503);

    private static readonly MediasoupResult SiloFull =
        MediasoupResult.Rejected("Error: this server holds as many rooms as it may; try again later", 503);

    private RoomIncarnation? _incarnation;
    private long _lastOperation;
    private IGrainTimer? _emptyRoomTimer;

    private string RoomId => this.GetPrimaryKeyString();

    public async Task<MediasoupResult> QueryRoom(JsonElement request)
    {
        if (await OpenAsync() is not { } room)
        {
            return _incarnation is null && openRooms.Count >= settings.Limits.MaxRoomsPerSilo ? SiloFull : MediaUnavailable;
        }

        try
        {
            MessageValidation.RoomRequest(room.Closed, request);
            return MediasoupResult.Success(settings.QueryRoomResponse);
        }
        catch (MediasoupError error)
        {
            return Rejected(error);
        }
    }

    public async Task<RoomAnswer> Join(PeerSession session, JsonElement request)
    {
        var result = await JoinAsync(session, request);
        return new RoomAnswer(result, _lastOperation, result.Ok ? _incarnation?.Id : null, this.Silo());
    }

    private async Task<MediasoupResult> JoinAsync(PeerSession session, JsonElement request)
    {
        if (await OpenAsync() is not { } room)
        {
            return _incarnation is null && openRooms.Count >= settings.Limits.MaxRoomsPerSilo ? SiloFull : MediaUnavailable;
        }

        JoinRequest join;
        try
        {
            join = JoinRequest.Validate(room, session, request, settings.RtpCapabilitiesNode, settings.Limits, capabilities);
        }
        catch (MediasoupError error)
        {
            return Rejected(error);
        }

        // The caller is the session's own Peer: it cannot be replaced while it waits for this answer.
        var peer = GrainFactory.Reference<IPeerGrain>(session.PeerKey);
        var member = new RoomMember(session, peer, join.Spy, join.RtpCapabilities, join.AppData);
        room.Add(member);
        CancelEmptyRoomTimer();
        var op = NewOperation(room);
        try
        {
            await ConsumerOperations.CreateForJoinerAsync(op, member);
        }
        catch (MediasoupError error)
        {
            // Unlike the reference, a join that fails here leaves no zombie peer behind.
            room.Remove(member);
            await RoomCascades.ClosePeerAsync(op, member, closeInMedia: true);
            await FlushAsync(op);
            ScheduleCloseIfEmpty(room);
            return Rejected(error);
        }

        // Debug: at a thousand joins a second, a line each was a few percent of the node's CPU.
        logger.LogDebug("Peer {Peer} joined room {Room} ({Incarnation}){Spy}", member.Name, RoomId, room.Id, member.Spy ? " as a spy" : "");
        if (!member.Spy)
        {
            var newPeer = ServerNotifications.NewPeer(member.Name, member.AppData);
            foreach (var other in room.Members.Where(other => other != member))
            {
                op.Outbox.Notify(other, newPeer);
            }
        }

        await FlushAsync(op);
        return MediasoupResult.Success(JoinResponse(room, member));
    }

    public async Task<RoomAnswer> PeerRequest(PeerSession session, Guid incarnation, string method, JsonElement request) =>
        new(await PeerRequestAsync(session, incarnation, method, request), _lastOperation);

    private async Task<MediasoupResult> PeerRequestAsync(PeerSession session, Guid incarnation, string method, JsonElement request)
    {
        if (Member(session, incarnation) is not ({ } room, { } member))
        {
            return Rejected(MessageValidation.RoomClosed());
        }

        var op = NewOperation(room);
        MediasoupResult result;
        try
        {
            result = MediasoupResult.Success(await PeerMessages.RequestAsync(op, member, method, request));
        }
        catch (MediasoupError error)
        {
            result = Rejected(error);
        }

        // Notifications caused by a request (newConsumer for createProducer) go out before its response.
        await FlushAsync(op);
        return result;
    }

    public async Task PeerNotify(PeerSession session, Guid incarnation, string method, JsonElement notification)
    {
        if (Member(session, incarnation) is not ({ } room, { } member))
        {
            logger.LogWarning("Notification {Method} from {Session} ignored: Room closed", method, session);
            return;
        }

        var op = NewOperation(room);
        try
        {
            await PeerMessages.NotifyAsync(op, member, method, notification);
        }
        catch (MediasoupError error)
        {
            // The reference logs and swallows every notification failure (docs/protocol.md#errors).
            logger.LogWarning("Notification {Method} from {Session} failed: {Reason}", method, session, error.Reason);
        }

        await FlushAsync(op);
    }

    public async Task Leave(PeerSession session, Guid? incarnation, JsonElement? appData)
    {
        if (Member(session, incarnation) is not ({ } room, { } member))
        {
            return;
        }

        room.Remove(member);
        logger.LogDebug("Peer {Peer} left room {Room} ({Incarnation})", member.Name, RoomId, room.Id);
        var op = NewOperation(room);
        if (!member.Spy)
        {
            var peerClosed = ServerNotifications.PeerClosed(member.Name, appData);
            foreach (var other in room.Members)
            {
                op.Outbox.Notify(other, peerClosed);
            }
        }

        await RoomCascades.ClosePeerAsync(op, member, closeInMedia: true);
        await FlushAsync(op);
        ScheduleCloseIfEmpty(room);
    }

    public async Task Close(string reason)
    {
        if (_incarnation is not { } room)
        {
            return;
        }

        room.Closed = true;
        logger.LogInformation("Room {Room} ({Incarnation}) closing: {Reason}", RoomId, room.Id, reason);
        var op = NewOperation(room);
        foreach (var member in room.Members.ToArray())
        {
            op.Outbox.CloseByServer(member, appData: null, reason);
            room.Remove(member);
            await RoomCascades.ClosePeerAsync(op, member, closeInMedia: false);
            if (!member.Spy)
            {
                var peerClosed = ServerNotifications.PeerClosed(member.Name, appData: null);
                foreach (var later in room.Members)
                {
                    op.Outbox.Notify(later, peerClosed);
                }
            }
        }

        await FlushAsync(op);
        await CloseIncarnationAsync(room);
    }

    public async Task OnMediaEvents(Guid incarnation, MediaEvent[] events)
    {
        if (_incarnation is not { } room || room.Id != incarnation)
        {
            return;
        }

        var op = NewOperation(room);
        foreach (var mediaEvent in events)
        {
            if (mediaEvent.Kind == MediaEventKind.RouterClosed)
            {
                await FlushAsync(op);
                await Close($"the room's media worker failed ({mediaEvent.Value})");
                return;
            }

            await MediaEventHandling.ApplyAsync(op, mediaEvent);
        }

        await FlushAsync(op);
    }

    public Task<SiloAddress> Host() => Task.FromResult(this.Silo());

    public Task<RoomSnapshot> Describe() => Task.FromResult(new RoomSnapshot(
        _incarnation?.Id,
        _incarnation?.Closed ?? false,
        _incarnation?.Members.Select(member => member.Name).ToArray() ?? [],
        GrainContext.ActivationId.ToString()));

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_incarnation is { } room)
        {
            logger.LogWarning("Room {Room} deactivated with its incarnation open ({Reason}); closing it", RoomId, reason);
            await CloseIncarnationAsync(room);
        }
    }

    IDisposable IRoomTimers.StartPeriodic(TimeSpan period, Func<RoomOperation, Task> tick)
    {
        var room = _incarnation ?? throw new InvalidOperationException("No open room to run a timer for.");
        return this.RegisterGrainTimer(
            async () =>
            {
                if (_incarnation != room)
                {
                    return;
                }

                var op = NewOperation(room);
                try
                {
                    await tick(op);
                }
                catch (MediasoupError error)
                {
                    logger.LogWarning("Periodic work in room {Room} failed: {Reason}", RoomId, error.Reason);
                }

                await FlushAsync(op);
            },
            new GrainTimerCreationOptions(period, period));
    }

    /// <summary>
    /// The live incarnation, or a fresh one with its router: the first use of a room id (again)
    /// opens it. Null when no media worker could take the room.
    /// </summary>
    private async Task<RoomIncarnation?> OpenAsync()
    {
        if (_incarnation is { } live)
        {
            return live;
        }

        if (!openRooms.TryOpen(settings.Limits.MaxRoomsPerSilo))
        {
            logger.LogWarning("Room {Room} refused: this silo holds {Limit} rooms already", RoomId, settings.Limits.MaxRoomsPerSilo);
            return null;
        }

        var id = Guid.NewGuid();
        var events = new RoomMediaEvents(GrainFactory, RoomId, id, logger);
        IMediaRouter router;
        try
        {
            router = await media.CreateRouterAsync(events);
        }
        catch (Exception exception)
        {
            openRooms.Closed();
            events.Complete();
            logger.LogError(exception, "Room {Room} could not get a media router", RoomId);
            return null;
        }

        var entry = new OpenRoomEntry(RoomId, id, this.Silo().ToParsableString(), router.WorkerId, DateTimeOffset.UtcNow);
        var room = new RoomIncarnation(id, router, events, entry);
        _incarnation = room;
        openRooms.Listed(entry);
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        logger.LogInformation("Room {Room} opened ({Incarnation}) on media worker {Worker}", RoomId, room.Id, router.WorkerId);
        ScheduleCloseIfEmpty(room);
        return room;
    }

    private (RoomIncarnation Room, RoomMember Member)? Member(PeerSession session, Guid? incarnation) =>
        _incarnation is { } room && (incarnation is null || room.Id == incarnation) && room.Find(session.PeerName) is { } member && member.Session == session
            ? (room, member)
            : null;

    private RoomOperation NewOperation(RoomIncarnation room) => new(++_lastOperation, room, settings.RtpCapabilitiesNode, settings.Limits, new Outbox(), this, logger);

    /// <summary>
    /// An empty room lingers for the grace period (or the room's own override), then closes. A
    /// timer even for a zero grace period: its tick runs after the current operation, so an
    /// operation never finds the room closed under it, and a join already queued keeps it open.
    /// </summary>
    private void ScheduleCloseIfEmpty(RoomIncarnation room)
    {
        if (room.Members.Count > 0)
        {
            return;
        }

        CancelEmptyRoomTimer();
        _emptyRoomTimer = this.RegisterGrainTimer(
            () => _incarnation == room && room.Members.Count == 0 ? CloseIncarnationAsync(room) : Task.CompletedTask,
            new GrainTimerCreationOptions(room.EmptyRoomTimeout ?? settings.EmptyRoomGracePeriod, Timeout.InfiniteTimeSpan));
    }

    private async Task CloseIncarnationAsync(RoomIncarnation room)
    {
        CancelEmptyRoomTimer();
        room.Closed = true;
        _incarnation = null;
        openRooms.Unlisted(room.Entry);
        openRooms.Closed();
        logger.LogInformation("Room {Room} closed ({Incarnation})", RoomId, room.Id);
        try
        {
            await room.Router.DisposeAsync();
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Closing the router of room {Room} failed", RoomId);
        }

        room.MediaEvents.Complete();
        DelayDeactivation(TimeSpan.Zero);
        DeactivateOnIdle();
    }

    private void CancelEmptyRoomTimer()
    {
        _emptyRoomTimer?.Dispose();
        _emptyRoomTimer = null;
    }

    /// <summary>
    /// Hands an operation's notifications to the peers: in parallel across peers, in order for
    /// each. The Room awaits this before its next operation, so every peer receives notifications
    /// in Room order.
    /// </summary>
    private async Task FlushAsync(RoomOperation op)
    {
        var room = op.Room;
        room.PublishCounts();
        await Task.WhenAll(op.Outbox.Drain().Select(async pending =>
        {
            var session = pending.Recipient.Session;
            var peer = pending.Recipient.Peer;
            try
            {
                var batch = new List<JsonElement>();
                foreach (var item in pending.Items)
                {
                    switch (item)
                    {
                        case OutboxItem.Notification notification:
                            batch.Add(notification.Json);
                            break;
                        case OutboxItem.Close close:
                            await DeliverAsync(peer, session, room.Id, op.Number, batch);
                            await peer.CloseByServer(session, room.Id, op.Number, close.AppData, close.Reason);
                            break;
                    }
                }

                await DeliverAsync(peer, session, room.Id, op.Number, batch);
            }
            catch (Exception exception)
            {
                // The peer's seq stays gap-free only if numbering happened; a peer we cannot reach
                // is left to its gateway's failure handling.
                logger.LogWarning(exception, "Could not hand notifications to {Peer} in room {Room}", pending.Recipient.Name, RoomId);
            }
        }));
    }

    private static async Task DeliverAsync(IPeerGrain peer, PeerSession session, Guid incarnation, long operation, List<JsonElement> batch)
    {
        if (batch.Count > 0)
        {
            await peer.Deliver(session, incarnation, operation, [.. batch]);
            batch.Clear();
        }
    }

    /// <summary><c>{peers:[{consumers, name, appData}]}</c>: non-spy peers in Room order with the joiner's consumers of each.</summary>
    private static JsonElement JoinResponse(RoomIncarnation room, RoomMember joiner) => Responses.Join(
        room.Members
            .Where(other => other != joiner && !other.Spy)
            .Select(other => new JoinedPeer(
                other.Name,
                other.AppData,
                [.. other.Producers.SelectMany(producer => producer.Consumers).Where(consumer => consumer.Owner == joiner).Select(consumer => consumer.Describe())])));

    private static MediasoupResult Rejected(MediasoupError error) => MediasoupResult.Rejected(error);
}
