using Coordinator.Grains.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Placement;

namespace Coordinator.Grains.Placement;

/// <summary>
/// Asks the Room where it lives (activating it if needed) and places the Peer there.
/// <see cref="IRoomGrain.Host"/> interleaves, so this works even while the Room is busy, for
/// example when the Room itself is the caller that needs the Peer activated. If the Room cannot
/// answer, the Peer goes to the local (or a random) compatible silo: correct, only less tidy.
/// With a single compatible silo there is nothing to ask.
/// </summary>
internal sealed partial class WithRoomPlacementDirector(IGrainFactory grains, ILogger<WithRoomPlacementDirector> logger) : IPlacementDirector
{
    private static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(5);

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (compatible.Length == 1)
        {
            // One silo to choose from (a single node): asking the Room decides nothing.
            return compatible[0];
        }

        var roomId = GrainKeys.RoomOfPeer(target.GrainIdentity.Key.ToString()!);
        try
        {
            var host = await grains.Reference<IRoomGrain>(roomId).Host().WaitAsync(HostTimeout);
            if (compatible.Contains(host))
            {
                return host;
            }
        }
        catch (Exception exception)
        {
            LogRoomHostUnknown(roomId, exception.Message);
        }

        return compatible.Contains(context.LocalSilo) ? context.LocalSilo : compatible[Random.Shared.Next(compatible.Length)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {RoomId} did not say where it lives ({Reason}); placing its peer elsewhere")]
    private partial void LogRoomHostUnknown(string roomId, string reason);
}
