using Coordinator.Gateway.Auth;
using Coordinator.Gateway.Cluster;
using Coordinator.Gateway.Hosting;
using Coordinator.Grains.Interfaces;
using Coordinator.Protocol.Protoo;
using Microsoft.Extensions.Options;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// The WebSocket endpoint of the mediasoup-demo v2 wire contract: <c>/?roomId=R&amp;peerName=P</c>
/// with sub-protocol <c>protoo</c>. The handshake is checked in protoo-server's order: the
/// sub-protocol first (403), then the query (400). Every refusal happens before the upgrade, and
/// the ids are checked (<see cref="PeerIdentifiers"/>) before they become grain keys.
/// </summary>
internal sealed partial class ProtooEndpoint(
    IClusterClient cluster,
    ConnectionTracker tracker,
    GatewayNotifications notifications,
    PathLosses pathLosses,
    IOptions<GatewayOptions> options,
    UnfinishedMessageBudget inputBudget,
    ConnectionSlots slots,
    PeerConnectOrder connectOrder,
    JoinTokenValidator tokens,
    ILogger<ProtooEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!await WebSocketHandshake.PassesCommonChecksAsync(context, options.Value, ProtooHandshake.SubProtocol, "this endpoint only accepts protoo WebSocket connections"))
        {
            return;
        }

        if (QueryRefusal(context.Request.Query) is { } refusal)
        {
            await Refuse(context, StatusCodes.Status400BadRequest, refusal);
            return;
        }

        var roomId = context.Request.Query["roomId"].ToString();
        var peerName = context.Request.Query["peerName"].ToString();

        if (await Authorize(context, roomId, peerName) is not { } grants)
        {
            return;
        }

        var sessionId = Guid.NewGuid();
        var session = new PeerSession(roomId, peerName, sessionId, grants, notifications.StreamFor(sessionId));
        // Taken before the upgrade: a socket for the same peer that arrives after this one connects after it.
        using var connectTurn = connectOrder.Take(session.PeerKey);
        using var slot = slots.TryTake();
        if (slot is null)
        {
            await Refuse(context, StatusCodes.Status503ServiceUnavailable, slots.Refusal);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(ProtooHandshake.SubProtocol);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RoomId"] = roomId, ["PeerName"] = peerName });
        var connection = new PeerConnection(
            socket,
            session,
            connectTurn,
            cluster,
            notifications,
            pathLosses,
            options.Value,
            inputBudget,
            tracker,
            logger);

        using (tracker.Track(connection.Handler))
        {
            LogConnected(session.ToString());
            await connection.RunAsync();
            LogDisconnected(session.ToString());
        }
    }

    /// <summary>
    /// Why the URL cannot name a peer, or null. A missing or empty id gets the reference's text
    /// (it looks at the first value only, as the reference does); everything after is Coordinator's.
    /// </summary>
    private static string? QueryRefusal(IQueryCollection query)
    {
        var roomIds = query["roomId"];
        var peerNames = query["peerName"];
        if (string.IsNullOrEmpty(roomIds.FirstOrDefault()) || string.IsNullOrEmpty(peerNames.FirstOrDefault()))
        {
            return ProtooHandshake.MissingRoomOrPeer;
        }

        return roomIds.Count > 1 ? ProtooHandshake.Repeated("roomId")
            : peerNames.Count > 1 ? ProtooHandshake.Repeated("peerName")
            : query["token"].Count > 1 ? ProtooHandshake.Repeated("token")
            : PeerIdentifiers.Refusal("roomId", roomIds.ToString()) ?? PeerIdentifiers.Refusal("peerName", peerNames.ToString());
    }

    /// <summary>
    /// The socket's grants: everything in development mode; otherwise what a valid join token for
    /// exactly this room and peer says (<c>token</c> query parameter, as browsers cannot set
    /// WebSocket headers, or <c>Authorization: Bearer</c>). Null when refused.
    /// </summary>
    private async Task<PeerGrants?> Authorize(HttpContext context, string roomId, string peerName)
    {
        if (options.Value.DevelopmentMode)
        {
            return PeerGrants.All;
        }

        var token = WebSocketHandshake.PresentedToken(context);
        if (token.Length == 0)
        {
            await Refuse(context, StatusCodes.Status401Unauthorized, "a join token is required (token query parameter or Authorization: Bearer)");
            return null;
        }

        try
        {
            var joinToken = await tokens.ValidateAsync(token);
            if (joinToken.RoomId != roomId || joinToken.PeerName != peerName)
            {
                await Refuse(context, StatusCodes.Status403Forbidden, "the join token is for another room or peer");
                return null;
            }

            return joinToken.Grants;
        }
        catch (JoinTokenException exception)
        {
            await Refuse(context, StatusCodes.Status401Unauthorized, exception.Message);
            return null;
        }
    }

    private static Task Refuse(HttpContext context, int status, string reason) => WebSocketHandshake.Refuse(context, status, reason);

    // Debug: the Room logs each join and leave at Information already.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {Session} connected")]
    private partial void LogConnected(string session);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {Session} disconnected")]
    private partial void LogDisconnected(string session);
}
