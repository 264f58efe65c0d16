using System.Text.Json.Nodes;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Media;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Protocol;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary>Starts periodic work for the Room (its grain timers); each tick runs as its own Room operation.</summary>
internal interface IRoomTimers
{
    IDisposable StartPeriodic(TimeSpan period, Func<RoomOperation, Task> tick);
}

/// <summary>
/// What one Room operation works with: the incarnation's state and router, the Room
/// capabilities, where to put notifications, and timers. Media failures become the reference's
/// errors: the worker's reason in an <c>Error</c>.
/// </summary>
internal sealed class RoomOperation(long number, RoomIncarnation room, JsonObject roomCapabilities, RoomLimits limits, Outbox outbox, IRoomTimers timers, ILogger logger)
{
    /// <summary>Increases with every operation of the Room: it orders notifications against answers (see <see cref="RoomAnswer.Operation"/>).</summary>
    public long Number { get; } = number;

    public RoomIncarnation Room { get; } = room;

    public JsonObject RoomCapabilities { get; } = roomCapabilities;

    public RoomLimits Limits { get; } = limits;

    public Outbox Outbox { get; } = outbox;

    public IRoomTimers Timers { get; } = timers;

    public ILogger Logger { get; } = logger;

    public async Task Media(Func<IMediaRouter, Task> call)
    {
        try
        {
            await call(Room.Router);
        }
        catch (Exception exception) when (exception is MediaPlaneException or MediaRouterClosedException)
        {
            throw MediasoupError.Error(exception.Message);
        }
    }

    public async Task<T> Media<T>(Func<IMediaRouter, Task<T>> call)
    {
        try
        {
            return await call(Room.Router);
        }
        catch (Exception exception) when (exception is MediaPlaneException or MediaRouterClosedException)
        {
            throw MediasoupError.Error(exception.Message);
        }
    }

    /// <summary>A media call whose failure only matters for the log (closing what may already be gone).</summary>
    public async Task MediaQuietly(Func<IMediaRouter, Task> call, string what)
    {
        try
        {
            await call(Room.Router);
        }
        catch (Exception exception) when (exception is MediaPlaneException or MediaRouterClosedException)
        {
            Logger.LogDebug("{What} failed in the media plane: {Reason}", what, exception.Message);
        }
    }
}
