using Coordinator.Gateway.Hosting;
using Coordinator.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Gateway.Tests;

/// <summary>A real embedded node (silo + gateway in this process) listening on a loopback port.</summary>
public class EmbeddedNode : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseUri { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    protected virtual IEnumerable<string> Settings => [];

    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async Task InitializeAsync()
    {
        string[] args =
        [
            "--Gateway:DevelopmentMode=true",
            "--Gateway:Port=0",
            $"--Orleans:SiloPort={FreePort.Next()}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
            $"--Orleans:ClusterId=test-{Guid.NewGuid():N}",
            "--Rooms:EmptyRoomGracePeriod=00:00:00",
            "--MediaWorkers:Count=1",
            "--Logging:LogLevel:Default=Warning",
            .. Settings,
        ];
        _app = CoordinatorNode.Build(args, Configure);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUri = new Uri(address.Replace("https://", "wss://").Replace("http://", "ws://"));
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public Uri PeerUri(string roomId, string peerName) =>
        new(BaseUri, $"/?roomId={Uri.EscapeDataString(roomId)}&peerName={Uri.EscapeDataString(peerName)}");
}

[CollectionDefinition(Name)]
public sealed class EmbeddedNodeCollection : ICollectionFixture<EmbeddedNode>
{
    public const string Name = "embedded node";
}
