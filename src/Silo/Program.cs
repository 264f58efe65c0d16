using Coordinator.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A standalone silo: grains (and, on this host, mediasoup workers). Gateways connect as clients.
var builder = Host.CreateApplicationBuilder(args);
LoggingDefaults.Apply(builder.Configuration);
builder.UseOrleans(silo => silo
    .UseCoordinatorClustering(builder.Configuration)
    .AddCoordinatorGrains(builder.Configuration)
    .AddCoordinatorMedia(builder.Configuration));

var host = builder.Build();
var cluster = ClusterSettings.From(builder.Configuration);
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Coordinator");
host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => logger.LogInformation(
    "Coordinator silo listening on 127.0.0.1:{SiloPort} (silo-to-silo) and 127.0.0.1:{GatewayPort} (gateways), cluster {ClusterId}",
    cluster.SiloPort, cluster.GatewayPort, cluster.ClusterId));
await host.RunAsync();
