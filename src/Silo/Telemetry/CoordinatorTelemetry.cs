using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Coordinator.Silo.Telemetry;

/// <summary>
/// OpenTelemetry for every Coordinator process: Coordinator's own meters and activity sources,
/// Orleans' (grain calls, messaging, streams), .NET runtime metrics, and an OTLP exporter when one
/// is configured. Each host adds its Prometheus endpoint.
/// </summary>
public static class CoordinatorTelemetry
{
    /// <summary>Every Coordinator meter and activity source is named <c>Coordinator.*</c>.</summary>
    public const string Prefix = "Coordinator.";

    public static OpenTelemetryBuilder AddCoordinatorTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<MeterProviderBuilder>? metrics = null,
        Action<TracerProviderBuilder>? tracing = null)
    {
        var settings = TelemetrySettings.From(configuration);
        return services.AddOpenTelemetry()
            .WithMetrics(builder =>
            {
                builder.AddMeter(Prefix + "*", "Microsoft.Orleans").AddRuntimeInstrumentation();
                metrics?.Invoke(builder);
                if (settings.OtlpEndpoint is { Length: > 0 } endpoint)
                {
                    builder.AddOtlpExporter(options => options.Endpoint = new Uri(endpoint));
                }
            })
            .WithTracing(builder =>
            {
                builder.AddSource(Prefix + "*", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
                tracing?.Invoke(builder);
                if (settings.OtlpEndpoint is { Length: > 0 } endpoint)
                {
                    builder.AddOtlpExporter(options => options.Endpoint = new Uri(endpoint));
                }
            });
    }
}
