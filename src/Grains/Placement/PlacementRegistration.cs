using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace Coordinator.Grains.Placement;

public static class PlacementRegistration
{
    /// <summary>Registers <see cref="WithRoomPlacement"/>: every silo must, as any silo may place a Peer.</summary>
    public static void AddPeerPlacement(this IServiceCollection services) =>
        services.AddPlacementDirector<WithRoomPlacement, WithRoomPlacementDirector>();
}
