using Microsoft.Extensions.Configuration;

namespace Coordinator.Silo.Telemetry;

/// <summary>Where metrics and traces go (configuration section <c>Telemetry</c>).</summary>
public sealed class TelemetrySettings
{
    public const string Section = "Telemetry";

    /// <summary>
    /// Port of a standalone silo's operational HTTP endpoint (<c>/metrics</c>, <c>/health/live</c>); 0
    /// turns it off. A gateway (and the embedded node) serves <c>/metrics</c> on its operations listener
    /// instead (<c>Gateway:Operations:Port</c>, 9466).
    /// </summary>
    public int SiloHttpPort { get; set; } = 9464;

    /// <summary>The address that endpoint binds (<c>0.0.0.0</c> in a container).</summary>
    public string SiloHttpAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// An OTLP collector (for example <c>http://collector:4317</c>) for traces and metrics. Empty: no
    /// OTLP export. The standard <c>OTEL_EXPORTER_OTLP_*</c> variables also work when this is set.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// The share of traces recorded when traces are exported (0 to 1; a span whose parent was
    /// sampled is always recorded). At thousands of requests per second a small ratio keeps the cost low.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>Traces are recorded only when they go somewhere (an OTLP collector).</summary>
    public bool ExportsTraces => OtlpEndpoint is { Length: > 0 };

    public static TelemetrySettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<TelemetrySettings>() ?? new TelemetrySettings();
}
