using Coordinator.Silo.Hosting;
using Microsoft.Extensions.Hosting;

// A standalone silo: grains (and, on this host, mediasoup workers). Gateways connect as clients.
var builder = Host.CreateApplicationBuilder(args);
LoggingDefaults.Apply(builder.Configuration);
builder.UseOrleans(silo => silo.UseCoordinatorClustering(builder.Configuration).AddCoordinatorGrains(builder.Configuration));

var host = builder.Build();
await host.RunAsync();
