namespace Coordinator.Gateway.Admin;

/// <summary>The admin API (configuration section <c>Gateway:Admin</c>). Every request needs an admin token whatever these say.</summary>
public sealed class AdminOptions
{
    public const string Section = "Gateway:Admin";

    /// <summary>Off: no <c>/admin</c> endpoint is mapped at all (for gateways that face the internet).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Largest request body; bodies only carry a reason, appData or settings.</summary>
    public int MaxBodyBytes { get; set; } = 65536;

    /// <summary>
    /// Producers and consumers whose stats one <c>GET /admin/rooms/{roomId}?stats=true</c> asks the
    /// worker for (one request each, while the room waits); the rest are counted in <c>statsOmitted</c>.
    /// </summary>
    public int MaxStatsObjects { get; set; } = 256;
}
