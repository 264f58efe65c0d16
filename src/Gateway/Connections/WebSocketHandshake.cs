using System.Net;
using Coordinator.Gateway.Hosting;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// The checks every WebSocket endpoint of the gateway makes before anything else, in protoo-server's
/// order, and how it refuses: before the upgrade, with the reason in the reference's header.
/// </summary>
internal static class WebSocketHandshake
{
    /// <summary>
    /// A WebSocket upgrade over HTTP/1.1 or later, from loopback in development mode, offering
    /// <paramref name="subProtocol"/>. False when refused (the response is set).
    /// </summary>
    public static async Task<bool> PassesCommonChecksAsync(HttpContext context, GatewayOptions options, string subProtocol, string notWebSocket)
    {
        var refusal = !context.WebSockets.IsWebSocketRequest ? (StatusCodes.Status400BadRequest, notWebSocket)
            : HttpProtocol.IsHttp10(context.Request.Protocol) ? (StatusCodes.Status400BadRequest, ProtooHandshake.NeedsHttp11)
            : options is { DevelopmentMode: true, DevelopmentModeAcceptsRemoteClients: false }
                && context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote)
                ? (StatusCodes.Status403Forbidden, "development mode accepts loopback connections only")
            : !context.WebSockets.WebSocketRequestedProtocols.Contains(subProtocol) ? (StatusCodes.Status403Forbidden, ProtooHandshake.InvalidSubProtocol)
            : ((int Status, string Reason)?)null;
        if (refusal is { } refused)
        {
            await Refuse(context, refused.Status, refused.Reason);
            return false;
        }

        return true;
    }

    /// <summary>
    /// The token the request presents: the <c>token</c> query parameter (browsers cannot set
    /// WebSocket headers), else <c>Authorization: Bearer</c>; empty when none.
    /// </summary>
    public static string PresentedToken(HttpContext context)
    {
        var token = context.Request.Query["token"].ToString();
        if (token.Length == 0 && context.Request.Headers.Authorization.ToString() is { } header
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }

        return token;
    }

    /// <summary>The reason goes in the reference's header, with no body (curl -i shows it).</summary>
    public static Task Refuse(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        context.Response.Headers[ProtooHandshake.RejectReasonHeader] = reason;
        return Task.CompletedTask;
    }
}
