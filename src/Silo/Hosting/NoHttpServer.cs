using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Stands in for Kestrel when a silo's HTTP endpoint is turned off (<c>Telemetry:SiloHttpPort=0</c>):
/// the host runs and nothing listens. Kestrel with no endpoint would listen on its default port.
/// </summary>
internal sealed class NoHttpServer : IServer
{
    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }
}
