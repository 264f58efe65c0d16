using System.Net;
using Coordinator.Silo.Hosting;
using Coordinator.Silo.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

// A standalone silo: grains (and, on this host, mediasoup workers). Gateways connect as clients.
// Its only HTTP endpoints are operational: GET /metrics (Prometheus) and GET /health/live.
NativeHeap.MapLargeBlocks();
StopExitCode.ZeroOnlyWhenAskedToStop();
var builder = WebApplication.CreateBuilder(ConfigurationLoading.ReadOnce(args));
LoggingDefaults.Apply(builder);
builder.UseOrleans(silo => silo
    .UseCoordinatorClustering(builder.Configuration)
    .AddCoordinatorGrains(builder.Configuration)
    .AddCoordinatorMedia(builder.Configuration)
    .AddCoordinatorTracing(builder.Configuration));

var telemetry = TelemetrySettings.From(builder.Configuration);
builder.Services.AddCoordinatorTelemetry(builder.Configuration, metrics: meters => meters.AddPrometheusExporter());
builder.Services.AddHealthChecks();
if (telemetry.SiloHttpPort > 0)
{
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(telemetry.SiloHttpAddress), telemetry.SiloHttpPort));
}
else
{
    builder.Services.AddSingleton<IServer, NoHttpServer>();
}

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
    "Coordinator silo listening on :{SiloPort} (silo-to-silo), :{GatewayPort} (gateways) and {HttpEndpoint} (/metrics, /health/live), cluster {ClusterId}",
    cluster.SiloPort,
    cluster.GatewayPort,
    telemetry.SiloHttpPort > 0 ? $"{telemetry.SiloHttpAddress}:{telemetry.SiloHttpPort}" : "no HTTP port",
    cluster.ClusterId);
