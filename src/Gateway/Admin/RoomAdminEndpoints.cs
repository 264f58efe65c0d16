using Coordinator.Grains.Interfaces;
using Coordinator.Protocol.Protoo;
using Microsoft.Extensions.Options;

namespace Coordinator.Gateway.Admin;

/// <summary>
/// The room endpoints of the admin API. Each is one grain call: the cluster-wide listing goes to
/// the room directory, everything else to the room's own grain, where it is ordered with the
/// peers' messages.
/// </summary>
internal static partial class RoomAdminEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/rooms", ListAsync);
        admin.MapGet("/rooms/{roomId}", DumpAsync);
        admin.MapPost("/rooms/{roomId}/close", CloseAsync);
        admin.MapPost("/rooms/{roomId}/peers/{peerName}/close", RemovePeerAsync);
        admin.MapPost(
            "/rooms/{roomId}/producers/{producerId}/pause",
            (HttpContext http, IGrainFactory grains, IOptions<AdminOptions> options, string producerId) => PauseAsync(http, grains, options, producerId, paused: true));
        admin.MapPost(
            "/rooms/{roomId}/producers/{producerId}/resume",
            (HttpContext http, IGrainFactory grains, IOptions<AdminOptions> options, string producerId) => PauseAsync(http, grains, options, producerId, paused: false));
        admin.MapGet("/rooms/{roomId}/settings", GetSettingsAsync);
        admin.MapPut("/rooms/{roomId}/settings", PutSettingsAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IGrainFactory grains)
    {
        var listing = await grains.GetGrain<IRoomDirectoryGrain>(0).ListRooms();
        var identity = Identity(http);
        return AdminResults.Ok(listing with { Rooms = [.. listing.Rooms.Where(room => identity.MayManage(room.Id))] });
    }

    /// <summary>
    /// <c>?worker=false</c> leaves out the worker's per-object dumps (one worker request per object
    /// otherwise); <c>?stats=true</c> adds each producer's and enabled consumer's stats (one worker
    /// request each, up to <see cref="AdminOptions.MaxStatsObjects"/>).
    /// </summary>
    private static async Task<IResult> DumpAsync(HttpContext http, IGrainFactory grains, IOptions<AdminOptions> options)
    {
        var withWorker = Flag(http, "worker", true);
        var withStats = Flag(http, "stats", false);
        var roomId = RoomId(http);
        var request = new RoomDumpRequest(withWorker, withStats ? Math.Max(0, options.Value.MaxStatsObjects) : 0);
        return await Room(grains, roomId).Dump(request) is { } dump ? AdminResults.Ok(dump) : RoomNotFound(roomId);
    }

    private static bool Flag(HttpContext http, string name, bool absent) => http.Request.Query[name].ToString() switch
    {
        "" => absent,
        "true" => true,
        "false" => false,
        var other => throw new AdminInputException($"{name} must be true or false, got \"{other}\""),
    };

    private static async Task<IResult> CloseAsync(HttpContext http, IGrainFactory grains, IOptions<AdminOptions> options)
    {
        var body = await AdminRequest.ReadAsync(http.Request, options.Value.MaxBodyBytes, "reason");
        var roomId = RoomId(http);
        var reason = body.String("reason") ?? "the room was closed by an operator";
        if (await Room(grains, roomId).CloseByAdmin(reason) != AdminStatus.Done)
        {
            return RoomNotFound(roomId);
        }

        LogAction(Logger(http), Identity(http).Operator, "closed room", roomId, reason);
        return AdminResults.Ok(new { id = roomId, closed = true });
    }

    private static async Task<IResult> RemovePeerAsync(HttpContext http, IGrainFactory grains, IOptions<AdminOptions> options, string peerName)
    {
        var body = await AdminRequest.ReadAsync(http.Request, options.Value.MaxBodyBytes, "reason", "appData");
        var roomId = RoomId(http);
        var peer = AdminRoute.Segment(peerName);
        var reason = body.String("reason") ?? "removed by an operator";
        switch (await Room(grains, roomId).RemovePeer(peer, body.Value("appData"), reason))
        {
            case AdminStatus.RoomNotFound:
                return RoomNotFound(roomId);
            case AdminStatus.PeerNotFound:
                return AdminResults.NotFound($"no peer \"{peer}\" in room \"{roomId}\"");
        }

        LogAction(Logger(http), Identity(http).Operator, $"removed peer {peer} from room", roomId, reason);
        return AdminResults.Ok(new { room = roomId, peer, closed = true });
    }

    /// <summary>A server-side pause (docs/protocol.md#pausing): its owner is told (<c>producerPaused</c>), and its own resume cannot undo it.</summary>
    private static async Task<IResult> PauseAsync(HttpContext http, IGrainFactory grains, IOptions<AdminOptions> options, string producerId, bool paused)
    {
        var id = AdminRoute.ProducerId(producerId);
        var body = await AdminRequest.ReadAsync(http.Request, options.Value.MaxBodyBytes, "appData");
        var roomId = RoomId(http);
        var result = await Room(grains, roomId).SetProducerPaused(id, paused, body.Value("appData"));
        switch (result.Status)
        {
            case AdminStatus.RoomNotFound:
                return RoomNotFound(roomId);
            case AdminStatus.ProducerNotFound:
                return AdminResults.NotFound($"no producer {id} in room \"{roomId}\"");
            case AdminStatus.Done:
                LogAction(Logger(http), Identity(http).Operator, $"{(paused ? "paused" : "resumed")} producer {id} of {result.PeerName} in room", roomId, "");
                break;
        }

        return AdminResults.Ok(new
        {
            id,
            peerName = result.PeerName,
            changed = result.Status == AdminStatus.Done,
            paused = result.Paused,
            locallyPaused = result.LocallyPaused,
            remotelyPaused = result.RemotelyPaused,
        });
    }

    private static async Task<IResult> GetSettingsAsync(HttpContext http, IGrainFactory grains)
    {
        var roomId = RoomId(http);
        return await Room(grains, roomId).LifecycleSettings() is { } settings ? AdminResults.Ok(settings) : RoomNotFound(roomId);
    }

    /// <summary>Replaces the overrides: a property that is absent or null goes back to the deployment's value.</summary>
    private static async Task<IResult> PutSettingsAsync(HttpContext http, IGrainFactory grains, IOptions<AdminOptions> options)
    {
        var body = await AdminRequest.ReadAsync(http.Request, options.Value.MaxBodyBytes, "maxPeers", "emptyRoomTimeout");
        var overrides = new RoomSettingsOverride(body.PositiveInteger("maxPeers"), body.Duration("emptyRoomTimeout"));
        if (overrides.Problem() is { } problem)
        {
            throw new AdminInputException(problem);
        }

        var roomId = RoomId(http);
        if (await Room(grains, roomId).ApplyLifecycleSettings(overrides) is not { } settings)
        {
            return AdminResults.Error(StatusCodes.Status503ServiceUnavailable, $"room \"{roomId}\" could not be opened (no media worker, or its silo is full)");
        }

        LogAction(Logger(http), Identity(http).Operator, "set the settings of room", roomId, overrides.ToString());
        return AdminResults.Ok(settings);
    }

    /// <summary>The route's room id, refused (400) where a socket URL's would be: it becomes a grain key.</summary>
    private static string RoomId(HttpContext http)
    {
        var roomId = AdminRoute.RoomId(http) ?? throw new InvalidOperationException("no roomId in the route");
        return PeerIdentifiers.Refusal("roomId", roomId) is { } refusal ? throw new AdminInputException(refusal) : roomId;
    }

    private static IRoomGrain Room(IGrainFactory grains, string roomId) => grains.GetGrain<IRoomGrain>(roomId);

    private static IResult RoomNotFound(string roomId) => AdminResults.NotFound($"room \"{roomId}\" is not open");

    private static AdminIdentity Identity(HttpContext http) => (AdminIdentity)http.Items[typeof(AdminIdentity)]!;

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Coordinator.Admin");

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Operator} {Action} {Room} {Detail}")]
    private static partial void LogAction(ILogger logger, string @operator, string action, string room, string detail);
}
