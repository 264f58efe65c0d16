using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Hosting;

namespace Coordinator.Silo.Telemetry;

/// <summary>
/// OpenTelemetry for every Coordinator process: Coordinator's own meters and activity sources,
/// Orleans' (grain calls, messaging, streams), .NET runtime metrics; traces and an OTLP export of
/// both when a collector is configured. Each host adds its Prometheus endpoint.
/// </summary>
public static class CoordinatorTelemetry
{
    /// <summary>Every Coordinator meter and activity source is named <c>Coordinator.*</c>.</summary>
    public const string Prefix = "Coordinator.";

    /// <summary>Series per metric; further tag combinations are counted in one overflow series.</summary>
    public const int MaxSeriesPerMetric = 500;

    public static OpenTelemetryBuilder AddCoordinatorTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<MeterProviderBuilder>? metrics = null,
        Action<TracerProviderBuilder>? tracing = null)
    {
        var settings = TelemetrySettings.From(configuration);
        var telemetry = services.AddOpenTelemetry()
            .WithMetrics(builder =>
            {
                // The SDK preallocates every metric's series up to this limit (2,000 by default:
                // 26 MB for the ~180 instruments here); none of them comes close to 500 series.
                builder.AddMeter(Prefix + "*", "Microsoft.Orleans").AddRuntimeInstrumentation()
                    .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MaxSeriesPerMetric });
                metrics?.Invoke(builder);
                if (settings.OtlpEndpoint is { Length: > 0 } endpoint)
                {
                    builder.AddOtlpExporter(options => options.Endpoint = new Uri(endpoint));
                }
            });

        // Traces only go somewhere through OTLP. Without a collector, listening would still create a
        // span for every grain call and request (measured: about a sixth of the node's CPU at load).
        if (settings.ExportsTraces && settings.OtlpEndpoint is { } traceEndpoint)
        {
            telemetry.WithTracing(builder =>
            {
                builder.AddSource(Prefix + "*", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                    .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.TraceSampleRatio)));
                tracing?.Invoke(builder);
                builder.AddOtlpExporter(options => options.Endpoint = new Uri(traceEndpoint));
            });
        }

        return telemetry;
    }

    /// <summary>
    /// Orleans' trace context across grain calls, when traces are recorded: otherwise its filters
    /// would run on every grain call for nothing.
    /// </summary>
    public static ISiloBuilder AddCoordinatorTracing(this ISiloBuilder silo, IConfiguration configuration) =>
        TelemetrySettings.From(configuration).ExportsTraces ? silo.AddActivityPropagation() : silo;

    /// <inheritdoc cref="AddCoordinatorTracing(ISiloBuilder, IConfiguration)"/>
    public static IClientBuilder AddCoordinatorTracing(this IClientBuilder client, IConfiguration configuration) =>
        TelemetrySettings.From(configuration).ExportsTraces ? client.AddActivityPropagation() : client;
}
