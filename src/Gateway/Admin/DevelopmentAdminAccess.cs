using System.Net;

namespace Coordinator.Gateway.Admin;

/// <summary>
/// In development mode an admin request without a token is accepted (as operator
/// <see cref="Operator"/>, every room) when it comes from this machine, to a loopback host name,
/// and not from another web origin: so the dashboard works on a development node without a token,
/// while a web page the developer happens to visit cannot act on it (a cross-origin request
/// carries a foreign <c>Origin</c>; a DNS-rebinding page a foreign <c>Host</c>).
/// </summary>
internal static class DevelopmentAdminAccess
{
    public const string Operator = "development";

    /// <summary>Null when the request may go on without a token; otherwise why not.</summary>
    public static string? Refusal(HttpRequest request)
    {
        if (request.HttpContext.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return "development mode accepts admin requests without a token from this machine only";
        }

        if (!IsLoopbackHost(request.Host.Host))
        {
            return $"development mode accepts admin requests without a token for localhost only, not for host \"{request.Host.Host}\"";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !SameOrigin(origin, request))
        {
            return $"admin requests from another web origin ({origin}) need a token";
        }

        return null;
    }

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme.Equals(request.Scheme, StringComparison.OrdinalIgnoreCase)
        && uri.Authority.Equals(request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
