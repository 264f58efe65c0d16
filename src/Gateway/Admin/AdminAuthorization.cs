using Coordinator.Gateway.Auth;
using Coordinator.Gateway.Hosting;
using Coordinator.Grains.Interfaces;
using Microsoft.Extensions.Options;

namespace Coordinator.Gateway.Admin;

/// <summary>
/// Guards every admin endpoint: <c>Authorization: Bearer &lt;token&gt;</c> with a valid token (the
/// join token format and keys) carrying the <c>admin</c> grant, and a room scope that covers the
/// room in the route. The one exception is a development-mode node, which takes a request without
/// any <c>Authorization</c> header from this machine (<see cref="DevelopmentAdminAccess"/>); a
/// request that carries a token is checked as usual. Also turns failures into JSON errors.
/// </summary>
internal sealed partial class AdminAuthorization(JoinTokenValidator tokens, IOptions<GatewayOptions> gateway, ILogger<AdminAuthorization> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (BearerToken(http.Request) is { } token)
        {
            return await AuthorizedAsync(context, next, token);
        }

        if (gateway.Value.DevelopmentMode && http.Request.Headers.Authorization.Count == 0)
        {
            return DevelopmentAdminAccess.Refusal(http.Request) is { } refusal
                ? Unauthorized(http, refusal)
                : await RunAsync(context, next, new AdminIdentity(DevelopmentAdminAccess.Operator, null));
        }

        return Unauthorized(http, "an admin token is required: Authorization: Bearer <token>");
    }

    private async ValueTask<object?> AuthorizedAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string token)
    {
        var http = context.HttpContext;
        JoinToken claims;
        try
        {
            claims = await tokens.ValidateAsync(token);
        }
        catch (JoinTokenException exception)
        {
            return Unauthorized(http, exception.Message);
        }

        if (!claims.Grants.HasFlag(PeerGrants.Admin))
        {
            return AdminResults.Error(StatusCodes.Status403Forbidden, "this token has no admin grant");
        }

        var identity = new AdminIdentity(claims.PeerName, claims.RoomId == AdminIdentity.AllRooms ? null : claims.RoomId);
        if (AdminRoute.RoomId(http) is { } roomId && !identity.MayManage(roomId))
        {
            return AdminResults.Error(StatusCodes.Status403Forbidden, $"this admin token is for room \"{identity.Room}\" only");
        }

        return await RunAsync(context, next, identity);
    }

    private async ValueTask<object?> RunAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, AdminIdentity identity)
    {
        var http = context.HttpContext;
        http.Items[typeof(AdminIdentity)] = identity;
        try
        {
            return await next(context);
        }
        catch (AdminInputException exception)
        {
            return AdminResults.Error(exception.Status, exception.Message);
        }
        catch (Exception exception) when (!http.RequestAborted.IsCancellationRequested)
        {
            LogFailed(http.Request.Method, http.Request.Path.ToString(), exception);
            return exception is TimeoutException
                ? AdminResults.Error(StatusCodes.Status504GatewayTimeout, $"the cluster did not answer in time: {exception.Message}")
                : AdminResults.Error(StatusCodes.Status500InternalServerError, exception.Message);
        }
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length
            ? header[Scheme.Length..].Trim()
            : null;
    }

    private static IResult Unauthorized(HttpContext http, string message)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return AdminResults.Error(StatusCodes.Status401Unauthorized, message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin request {Method} {Path} failed")]
    private partial void LogFailed(string method, string path, Exception exception);
}
