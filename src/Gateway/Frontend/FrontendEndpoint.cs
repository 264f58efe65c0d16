using Coordinator.Gateway.Auth;
using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Hosting;
using Coordinator.Grains.Interfaces;
using Coordinator.Protocol.Frontend;
using Microsoft.Extensions.Options;

namespace Coordinator.Gateway.Frontend;

/// <summary>
/// <c>/frontend</c>: one WebSocket per signaling frontend, sub-protocol <c>coordinator-frontend</c>
/// (docs/frontend-api.md). The handshake is a browser socket's, with a frontend token instead of a
/// join token: its <c>frontend</c> grant lets it in, its <c>room</c> claim scopes it.
/// </summary>
internal sealed partial class FrontendEndpoint(
    FrontendServices services,
    ConnectionSlots slots,
    IOptions<GatewayOptions> options,
    JoinTokenValidator tokens,
    ILogger<FrontendEndpoint> logger)
{
    public const string Path = "/frontend";

    public async Task HandleAsync(HttpContext context)
    {
        if (!await WebSocketHandshake.PassesCommonChecksAsync(context, options.Value, FrontendFrames.SubProtocol, "this endpoint only accepts frontend WebSocket connections"))
        {
            return;
        }

        if (await Authorize(context) is not { } identity)
        {
            return;
        }

        using var slot = slots.TryTake();
        if (slot is null)
        {
            await WebSocketHandshake.Refuse(context, StatusCodes.Status503ServiceUnavailable, slots.Refusal);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(FrontendFrames.SubProtocol);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Frontend"] = identity.Name });
        LogConnected(identity.Name, identity.Scope.Claim);
        await new FrontendConnection(socket, identity, services, logger).RunAsync();
        LogDisconnected(identity.Name);
    }

    /// <summary>Every room in development mode; otherwise what a valid token with the <c>frontend</c> grant says. Null when refused.</summary>
    private async Task<FrontendIdentity?> Authorize(HttpContext context)
    {
        if (options.Value.DevelopmentMode)
        {
            return new FrontendIdentity("development", FrontendScope.AllRooms);
        }

        var token = WebSocketHandshake.PresentedToken(context);
        if (token.Length == 0)
        {
            await WebSocketHandshake.Refuse(context, StatusCodes.Status401Unauthorized, "a frontend token is required (token query parameter or Authorization: Bearer)");
            return null;
        }

        try
        {
            var claims = await tokens.ValidateAsync(token);
            if (!claims.Grants.HasFlag(PeerGrants.Frontend))
            {
                await WebSocketHandshake.Refuse(context, StatusCodes.Status403Forbidden, "this token has no frontend grant");
                return null;
            }

            return new FrontendIdentity(claims.PeerName, new FrontendScope(claims.RoomId));
        }
        catch (JoinTokenException exception)
        {
            await WebSocketHandshake.Refuse(context, StatusCodes.Status401Unauthorized, exception.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Frontend {Frontend} connected (rooms: {Scope})")]
    private partial void LogConnected(string frontend, string scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "Frontend {Frontend} disconnected")]
    private partial void LogDisconnected(string frontend);
}
