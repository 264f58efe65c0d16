using Coordinator.Silo.Hosting;
using Coordinator.Silo.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

// A standalone silo: grains (and, on this host, mediasoup workers). Gateways connect as clients.
var builder = Host.CreateApplicationBuilder(args);
LoggingDefaults.Apply(builder.Configuration);
builder.UseOrleans(silo => silo
    .UseCoordinatorClustering(builder.Configuration)
    .AddCoordinatorGrains(builder.Configuration)
    .AddCoordinatorMedia(builder.Configuration)
    .AddActivityPropagation());

// A standalone silo has no web server: its Prometheus endpoint is a small HTTP listener.
var telemetry = TelemetrySettings.From(builder.Configuration);
builder.Services.AddCoordinatorTelemetry(builder.Configuration, metrics: meters =>
{
    if (telemetry.SiloPrometheusPort > 0)
    {
        meters.AddPrometheusHttpListener(options => (options.Host, options.Port) = (telemetry.SiloPrometheusHost, telemetry.SiloPrometheusPort));
    }
});

var host = builder.Build();
var cluster = ClusterSettings.From(builder.Configuration);
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Coordinator");
host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => logger.LogInformation(
    "Coordinator silo listening on 127.0.0.1:{SiloPort} (silo-to-silo) and 127.0.0.1:{GatewayPort} (gateways), cluster {ClusterId}",
    cluster.SiloPort, cluster.GatewayPort, cluster.ClusterId));
await host.RunAsync();
