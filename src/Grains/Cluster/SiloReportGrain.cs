using Coordinator.Grains.Gateways;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Media;
using Coordinator.Grains.Peers;
using Coordinator.Grains.Rooms;
using Orleans.Placement;

namespace Coordinator.Grains.Cluster;

/// <summary>
/// Reports this silo (see <see cref="ISiloReportGrain"/>) from its in-memory registries. Random
/// placement because every built-in director honours the caller's placement hint.
/// </summary>
[RandomPlacement]
public sealed class SiloReportGrain(OpenRooms openRooms, ConnectedPeers peers, IMediaPlane media, GatewayLeases leases) : Grain, ISiloReportGrain
{
    public Task<SiloReport> Report()
    {
        var asked = this.GetPrimaryKeyString();
        if (this.Silo().ToParsableString() != asked)
        {
            // Placed without a usable hint (that silo just joined or left): gone when idle, so a
            // later report can be placed right.
            DeactivateOnIdle();
            return Task.FromResult(new SiloReport(asked, Environment.MachineName, [], 0, new MediaPlaneReport(0, []), [], Misplaced: true));
        }

        return Task.FromResult(new SiloReport(
            asked,
            Environment.MachineName,
            [.. openRooms.Summaries().OrderBy(room => room.Id, StringComparer.Ordinal)],
            peers.Count,
            media.Report(),
            leases.Reports(asked, DateTimeOffset.UtcNow)));
    }
}
