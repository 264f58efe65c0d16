using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Coordinator.Gateway.Hosting;

/// <summary>
/// The two health endpoints, served on both listeners. Their answer is the status word alone
/// (<c>Healthy</c>, <c>Unhealthy</c>: the default writer), so the public listener reveals nothing else.
/// </summary>
internal static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>The tag of the checks that decide readiness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Runs no check: the process answering is the answer.</summary>
    public static readonly HealthCheckOptions Live = new() { Predicate = _ => false };

    public static readonly HealthCheckOptions Ready = new() { Predicate = check => check.Tags.Contains(ReadyTag) };
}
