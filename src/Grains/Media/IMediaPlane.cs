using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Media;

/// <summary>
/// This silo's media plane: the mediasoup workers running on this host. A router created here
/// lives on one local worker; the returned <see cref="IMediaRouter"/> is an in-process handle, so
/// only code running in this silo process can use it (see <see cref="Rooms.RoomGrain"/> for how
/// every media call of a room reaches that process).
/// </summary>
public interface IMediaPlane
{
    /// <summary>Creates a router on the least-loaded local worker; its events go to <paramref name="events"/>.</summary>
    Task<IMediaRouter> CreateRouterAsync(IMediaEventSink events, CancellationToken cancellationToken = default);

    /// <summary>The workers running on this host with their processes' CPU and memory, for operators.</summary>
    MediaPlaneReport Report();
}
