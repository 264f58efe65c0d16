using Coordinator.Grains.Interfaces;

namespace Coordinator.Gateway.Admin;

/// <summary>
/// The cluster view of the admin API: one call to the cluster report grain, which asks every silo
/// in parallel. It shows every room and gateway, so it needs a token for every room.
/// </summary>
internal static class ClusterAdminEndpoints
{
    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/cluster", ReportAsync);

    private static async Task<IResult> ReportAsync(HttpContext http, IGrainFactory grains)
    {
        var identity = (AdminIdentity)http.Items[typeof(AdminIdentity)]!;
        if (identity.Room is { } room)
        {
            return AdminResults.Error(StatusCodes.Status403Forbidden, $"this admin token is for room \"{room}\" only; the cluster view needs a token for every room (\"{AdminIdentity.AllRooms}\")");
        }

        return AdminResults.Ok(await grains.GetGrain<IClusterReportGrain>(0).Report());
    }
}
