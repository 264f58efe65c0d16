using Coordinator.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.TestSupport;

/// <summary>
/// A real embedded node (silo, gateway and one real mediasoup worker in this process) on a loopback
/// port, in development mode, with rooms closing as soon as they are empty. The test fixtures of the
/// gateway, load-tool and browser tests start their node through this.
/// </summary>
public sealed class EmbeddedCoordinator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedCoordinator(WebApplication app, Uri baseUri, Uri? operationsUri) =>
        (_app, BaseUri, OperationsUri) = (app, baseUri, operationsUri);

    /// <summary><c>ws://127.0.0.1:PORT</c> (<c>wss://</c> with TLS); sockets connect to <c>/?roomId=R&amp;peerName=P</c> below it.</summary>
    public Uri BaseUri { get; }

    /// <summary>
    /// <c>http://127.0.0.1:PORT</c> of the operations listener (<c>/metrics</c>, <c>/health/*</c>), or null
    /// when it is off: it is off unless <c>--Gateway:Operations:Port=N</c> is among the settings, so
    /// that nodes started side by side do not compete for its fixed default port.
    /// </summary>
    public Uri? OperationsUri { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="name">Prefix of the node's cluster id, naming the test suite.</param>
    /// <param name="settings">Further <c>--Key=value</c> settings; later ones win.</param>
    /// <param name="configure">Changes to the host before it is built.</param>
    public static async Task<EmbeddedCoordinator> StartAsync(string name, IEnumerable<string>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        string[] args =
        [
            "--Gateway:DevelopmentMode=true",
            "--Gateway:Port=0",
            $"--Orleans:SiloPort={FreePort.Next()}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
            $"--Orleans:ClusterId={name}-{Guid.NewGuid():N}",
            "--Rooms:EmptyRoomGracePeriod=00:00:00",
            "--MediaWorkers:Count=1",
            "--Logging:LogLevel:Default=Warning",
            "--Gateway:Operations:Port=0",
            .. settings ?? [],
        ];
        var app = CoordinatorNode.Build(args, configure);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var operations = OperationsOptions.From(app.Configuration);
        var address = addresses.Single(url => !operations.Serves(url));
        var operationsUri = operations.Enabled ? new Uri(addresses.Single(operations.Serves)) : null;
        return new EmbeddedCoordinator(app, new Uri(address.Replace("https://", "wss://").Replace("http://", "ws://")), operationsUri);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
