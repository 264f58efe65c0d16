using System.Globalization;

namespace Coordinator.Gateway.Admin;

/// <summary>Route values of the admin endpoints.</summary>
internal static class AdminRoute
{
    /// <summary>
    /// The room id of the route, or null. ASP.NET Core decodes every escape in a path segment
    /// except <c>%2F</c>, so that a slash cannot split a segment; room ids may contain slashes, so
    /// it is decoded here.
    /// </summary>
    public static string? RoomId(HttpContext http) =>
        http.GetRouteValue("roomId") is string raw ? Segment(raw) : null;

    public static string Segment(string raw) => raw.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Producer ids are the client's unsigned 32-bit integers.</summary>
    public static uint ProducerId(string raw) =>
        uint.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new AdminInputException($"producer id must be an unsigned 32-bit integer, got \"{raw}\"");
}
