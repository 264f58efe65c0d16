using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary>
/// What the worker's events mean for the protocol (everything but a lost router, which closes
/// the room). Source pause and resume are not taken from events: the Room changes a producer's
/// paused state itself and updates its consumers in the same operation, exactly as the worker
/// reports it, so an <c>enableConsumer</c> never sees a stale value.
/// </summary>
internal static class MediaEventHandling
{
    public static async Task ApplyAsync(RoomOperation op, MediaEvent mediaEvent)
    {
        var room = op.Room;
        switch (mediaEvent.Kind)
        {
            case MediaEventKind.TransportClosed when room.Transports.TryGetValue(mediaEvent.ObjectId, out var transport):
                await RoomCascades.CloseTransportAsync(op, transport, notifyOwner: true, appData: null, closeInMedia: false);
                break;
            case MediaEventKind.ConsumerClosed when room.Consumers.TryGetValue(mediaEvent.ObjectId, out var consumer):
                RoomCascades.CloseConsumer(op, consumer);
                break;
            case MediaEventKind.ConsumerEffectiveProfileChanged when room.Consumers.TryGetValue(mediaEvent.ObjectId, out var consumer):
                ConsumerOperations.EffectiveProfileChanged(op, consumer, mediaEvent.Value!);
                break;
            case MediaEventKind.IceStateChanged when room.Transports.TryGetValue(mediaEvent.ObjectId, out var transport):
                transport.IceState = mediaEvent.Value!;
                break;
            case MediaEventKind.DtlsStateChanged when room.Transports.TryGetValue(mediaEvent.ObjectId, out var transport):
                transport.DtlsState = mediaEvent.Value!;
                break;
        }
    }
}
