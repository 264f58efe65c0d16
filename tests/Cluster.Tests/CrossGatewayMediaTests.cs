using Coordinator.Browser.Tests.Harness;
using Coordinator.TestSupport;
using Xunit.Abstractions;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// The real mediasoup-client in Chromium on two gateways of a cluster: bob's page signals through
/// gateway1, alice's through gateway2, and alice's audio and video reach bob.
/// </summary>
public sealed class CrossGatewayMediaTests(ITestOutputHelper output) : IAsyncLifetime
{
    private LocalCluster _cluster = null!;
    private string _chromium = "";
    private WebBundle _web = null!;

    public async Task InitializeAsync()
    {
        await Prerequisites.EnsureNodeAsync();
        _chromium = await Prerequisites.EnsureChromiumAsync();
        _web = new WebBundle(Path.Combine(TestData.RepositoryRoot(), "tests", "Browser.Tests", "web"));
        await _web.PrepareAsync();
        _cluster = await LocalCluster.StartAsync(developmentMode: true);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Media_flows_between_peers_on_different_gateways()
    {
        var roomId = $"cluster-media-{Guid.NewGuid():N}";
        await using var viaGateway1 = await BrowserDriver.StartAsync(_chromium, _cluster.GatewayBaseUri("gateway1"), _web, output);
        await using var viaGateway2 = await BrowserDriver.StartAsync(_chromium, _cluster.GatewayBaseUri("gateway2"), _web, output);

        var bob = await viaGateway1.OpenPageAsync("bob");
        await bob.JoinAsync(roomId);
        await bob.ConsumeAsync();

        var alice = await viaGateway2.OpenPageAsync("alice");
        await alice.JoinAsync(roomId);
        await alice.ProduceAsync(audio: true, video: true);

        foreach (var kind in new[] { "audio", "video" })
        {
            await bob.WaitForEventAsync(e => e.Is("newconsumer", "alice", kind) && e.Source == "newconsumer", $"newconsumer for alice's {kind}");
            await bob.WaitForEventAsync(e => e.Is("consumerreceiving", "alice", kind), $"receiving alice's {kind}");
            await bob.WaitForInboundMediaAsync("alice", kind);
        }

        output.WriteLine($"room {roomId} on {await _cluster.SiloOfRoomAsync(roomId)}: alice (gateway2) -> bob (gateway1), audio and video flowing");
        await viaGateway1.AssertNoClientErrorsAsync();
        await viaGateway2.AssertNoClientErrorsAsync();
    }
}
