using Coordinator.Gateway.Hosting;
using Coordinator.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.LoadTool.Tests;

/// <summary>
/// A real embedded node (silo, gateway and one real mediasoup worker in this process) on a loopback
/// port, in development mode: the same setup as the gateway tests' fixture, kept minimal here.
/// </summary>
public sealed class EmbeddedNode : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseUri { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string[] args =
        [
            "--Gateway:DevelopmentMode=true",
            "--Gateway:Port=0",
            $"--Orleans:SiloPort={FreePort.Next()}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
            $"--Orleans:ClusterId=loadtool-{Guid.NewGuid():N}",
            "--Rooms:EmptyRoomGracePeriod=00:00:00",
            "--MediaWorkers:Count=1",
            "--Logging:LogLevel:Default=Warning",
        ];
        _app = CoordinatorNode.Build(args);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUri = new Uri(address.Replace("http://", "ws://"));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedNodeCollection : ICollectionFixture<EmbeddedNode>
{
    public const string Name = "embedded node";
}
