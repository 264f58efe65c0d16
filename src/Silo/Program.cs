using System.Net;
using Coordinator.Silo.Hosting;
using Coordinator.Silo.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

// A standalone silo: grains (and, on this host, mediasoup workers). Gateways connect as clients.
// Its only HTTP endpoints are operational: GET /metrics (Prometheus) and GET /health/live.
var builder = WebApplication.CreateBuilder(args);
LoggingDefaults.Apply(builder.Configuration);
builder.UseOrleans(silo => silo
    .UseCoordinatorClustering(builder.Configuration)
    .AddCoordinatorGrains(builder.Configuration)
    .AddCoordinatorMedia(builder.Configuration)
    .AddActivityPropagation());

var telemetry = TelemetrySettings.From(builder.Configuration);
builder.Services.AddCoordinatorTelemetry(builder.Configuration, metrics: meters => meters.AddPrometheusExporter());
builder.Services.AddHealthChecks();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    if (telemetry.SiloHttpPort > 0)
    {
        kestrel.Listen(IPAddress.Parse(telemetry.SiloHttpAddress), telemetry.SiloHttpPort);
    }
});

var app = builder.Build();
if (telemetry.SiloHttpPort > 0)
{
    app.MapPrometheusScrapingEndpoint("/metrics");
    app.MapHealthChecks("/health/live");
}

var cluster = ClusterSettings.From(builder.Configuration);
var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Coordinator");
app.Lifetime.ApplicationStarted.Register(() => LogStarted(logger, cluster, telemetry));
await app.RunAsync();

static void LogStarted(ILogger logger, ClusterSettings cluster, TelemetrySettings telemetry) => logger.LogInformation(
    "Coordinator silo listening on :{SiloPort} (silo-to-silo), :{GatewayPort} (gateways) and {Address}:{HttpPort} (/metrics, /health/live), cluster {ClusterId}",
    cluster.SiloPort, cluster.GatewayPort, telemetry.SiloHttpAddress, telemetry.SiloHttpPort, cluster.ClusterId);
