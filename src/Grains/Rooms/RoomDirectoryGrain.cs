using Coordinator.Grains.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime.Placement;

namespace Coordinator.Grains.Rooms;

/// <summary>
/// Lists the open rooms of the cluster (see <see cref="IRoomDirectoryGrain"/>). Each silo keeps
/// its own registry; this asks every active silo's <see cref="ISiloRoomsGrain"/>, placed on that
/// silo by the Orleans placement hint, so the answer is correct whatever the number of silos and
/// never depends on a central list that a silo loss could leave stale.
/// </summary>
[StatelessWorker]
public sealed partial class RoomDirectoryGrain(ILogger<RoomDirectoryGrain> logger) : Grain, IRoomDirectoryGrain
{
    /// <summary>A silo that cannot answer within this is reported as unreachable, not waited for.</summary>
    private static readonly TimeSpan SiloTimeout = TimeSpan.FromSeconds(5);

    public async Task<RoomListing> ListRooms()
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var answers = await Task.WhenAll(hosts.Keys.Select(AskAsync));
        return new RoomListing(
            [.. answers.Where(answer => answer.Rooms is not null).SelectMany(answer => answer.Rooms!.Rooms).OrderBy(room => room.Id, StringComparer.Ordinal)],
            [.. answers.Where(answer => answer.Rooms is null).Select(answer => answer.Silo).Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// One silo's rooms, or null. The hint is set inside this async method, so it travels with
    /// this call only: an async method's changes to the request context do not flow back to its caller.
    /// </summary>
    private async Task<(string Silo, SiloRooms? Rooms)> AskAsync(SiloAddress silo)
    {
        var key = silo.ToParsableString();
        try
        {
            RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
            var answer = await GrainFactory.GetGrain<ISiloRoomsGrain>(key).List().WaitAsync(SiloTimeout);
            return (key, answer.Misplaced ? null : answer);
        }
        catch (Exception exception)
        {
            LogSiloUnreachable(key, exception.Message);
            return (key, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} did not list its rooms: {Reason}")]
    private partial void LogSiloUnreachable(string silo, string reason);
}
