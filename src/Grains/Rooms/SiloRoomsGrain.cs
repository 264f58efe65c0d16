using Coordinator.Grains.Interfaces;
using Orleans.Placement;

namespace Coordinator.Grains.Rooms;

/// <summary>
/// Lists this silo's <see cref="OpenRooms"/> (see <see cref="ISiloRoomsGrain"/>). Random placement
/// because every built-in director, this one included, honours the caller's placement hint.
/// </summary>
[RandomPlacement]
public sealed class SiloRoomsGrain(OpenRooms openRooms) : Grain, ISiloRoomsGrain
{
    public Task<SiloRooms> List()
    {
        var asked = this.GetPrimaryKeyString();
        if (this.Silo().ToParsableString() != asked)
        {
            // Placed without a usable hint (that silo just joined or left): the rooms here are not
            // the ones asked for. Gone when idle, so a later listing can place it right.
            DeactivateOnIdle();
            return Task.FromResult(new SiloRooms(asked, [], Misplaced: true));
        }

        return Task.FromResult(new SiloRooms(asked, openRooms.Summaries()));
    }
}
