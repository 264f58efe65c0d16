using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Grains.Rooms.Operations;
using Coordinator.Protocol;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Rooms;

/// <summary>
/// The admin API's room operations. Each runs as one Room operation like a peer's message, so an
/// operator's action is ordered with the peers' own; only <see cref="ApplyLifecycleSettings"/>
/// opens a room, the others answer "not found" for a room that is not open.
/// </summary>
public sealed partial class RoomGrain
{
    public Task<RoomDump?> Dump(bool withWorkerDumps) => Dump(new RoomDumpRequest(withWorkerDumps));

    public async Task<RoomDump?> Dump(RoomDumpRequest request) =>
        OpenIncarnation() is { } room ? await RoomDumps.BuildAsync(room, RoomId, CurrentSettings(room), request) : null;

    public async Task<AdminStatus> CloseByAdmin(string reason)
    {
        if (OpenIncarnation() is null)
        {
            return AdminStatus.RoomNotFound;
        }

        await Close(reason);
        return AdminStatus.Done;
    }

    public async Task<AdminStatus> RemovePeer(string peerName, JsonElement? appData, string reason)
    {
        if (OpenIncarnation() is not { } room)
        {
            return AdminStatus.RoomNotFound;
        }

        if (room.Find(peerName) is not { } member)
        {
            return AdminStatus.PeerNotFound;
        }

        logger.LogInformation("Peer {Peer} removed from room {Room} ({Incarnation}): {Reason}", peerName, RoomId, room.Id, reason);
        var op = NewOperation(room);
        await AdminOperations.ClosePeerAsync(op, member, appData, reason);
        await FlushAsync(op);
        ScheduleCloseIfEmpty(room);
        return AdminStatus.Done;
    }

    public async Task<ProducerPauseResult> SetProducerPaused(uint producerId, bool paused, JsonElement? appData)
    {
        if (OpenIncarnation() is not { } room)
        {
            return new ProducerPauseResult(AdminStatus.RoomNotFound);
        }

        if (!room.Producers.TryGetValue(producerId, out var producer))
        {
            return new ProducerPauseResult(AdminStatus.ProducerNotFound);
        }

        var op = NewOperation(room);
        bool changed;
        try
        {
            changed = paused
                ? await AdminOperations.PauseProducerAsync(op, producer, appData)
                : await AdminOperations.ResumeProducerAsync(op, producer, appData);
        }
        catch (MediasoupError error)
        {
            throw new InvalidOperationException($"the media worker refused: {error.Reason}");
        }

        await FlushAsync(op);
        if (changed)
        {
            logger.LogInformation("Producer {Producer} of {Peer} in room {Room} {Change} by the server", producerId, producer.Owner.Name, RoomId, paused ? "paused" : "resumed");
        }

        return new ProducerPauseResult(
            changed ? AdminStatus.Done : AdminStatus.Unchanged, producer.Owner.Name, producer.Paused, producer.LocallyPaused, producer.RemotelyPaused);
    }

    public Task<RoomLifecycleSettings?> LifecycleSettings() =>
        Task.FromResult(OpenIncarnation() is { } room ? CurrentSettings(room) : null);

    public async Task<RoomLifecycleSettings?> ApplyLifecycleSettings(RoomSettingsOverride overrides)
    {
        if (overrides.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(overrides));
        }

        if (await OpenAsync() is not { Closed: false } room)
        {
            return null;
        }

        room.MaxPeers = overrides.MaxPeers;
        room.EmptyRoomTimeout = overrides.EmptyRoomTimeout;
        logger.LogInformation("Room {Room} ({Incarnation}) settings: {Settings}", RoomId, room.Id, overrides);

        // An empty room's countdown starts again with the timeout now in force.
        ScheduleCloseIfEmpty(room);
        return CurrentSettings(room);
    }

    /// <summary>
    /// The open incarnation, or null. An activation this call created for nothing is left to
    /// idle collection: deactivating it at once could race a peer being placed beside it.
    /// </summary>
    private RoomIncarnation? OpenIncarnation() => _incarnation is { Closed: false } room ? room : null;

    private RoomLifecycleSettings CurrentSettings(RoomIncarnation room) => new(
        room.MaxPeers ?? settings.Limits.MaxPeersPerRoom,
        room.EmptyRoomTimeout ?? settings.EmptyRoomGracePeriod,
        new RoomSettingsOverride(room.MaxPeers, room.EmptyRoomTimeout));
}
