using Coordinator.Gateway.Hosting;
using Coordinator.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// A real embedded Coordinator node (silo + gateway in this process, one mediasoup worker) listening
/// on a loopback port, as in tests/Gateway.Tests/EmbeddedNode.cs.
/// </summary>
public sealed class NodeUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NodeUnderTest(WebApplication app, Uri gatewayUri)
    {
        _app = app;
        GatewayUri = gatewayUri;
    }

    /// <summary><c>ws://127.0.0.1:PORT</c>; pages connect to <c>/?roomId=R&amp;peerName=P</c> below it.</summary>
    public Uri GatewayUri { get; }

    public static async Task<NodeUnderTest> StartAsync()
    {
        string[] args =
        [
            "--Gateway:DevelopmentMode=true",
            "--Gateway:Port=0",
            $"--Orleans:SiloPort={FreePort.Next()}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
            $"--Orleans:ClusterId=browser-test-{Guid.NewGuid():N}",
            "--MediaWorkers:Count=1",
            "--Rooms:EmptyRoomGracePeriod=00:00:00",
            "--Logging:LogLevel:Default=Warning",
        ];
        var app = CoordinatorNode.Build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new NodeUnderTest(app, new Uri(address.Replace("http://", "ws://")));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
