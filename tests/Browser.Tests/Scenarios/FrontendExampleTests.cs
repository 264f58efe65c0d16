using Coordinator.Browser.Tests.Harness;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Scenarios;

/// <summary>
/// Issue 19 end to end: the browsers' signaling goes to the example application server
/// (examples/frontend-node), not to the gateway; the example relays it to the node through its one
/// frontend connection (the Node.js SDK). Every assertion below needs the relay in both directions:
/// requests and client notifications in, responses and server notifications out.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FrontendExampleTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Media_flows_both_ways_through_the_example_frontend_and_a_leave_reaches_the_other_peer()
    {
        await using var frontend = await ExampleFrontend.StartAsync(fixture.GatewayUri, output);
        await using var browser = await BrowserDriver.StartAsync(fixture.ChromiumPath, frontend.BrowserUri, fixture.Web, output);
        var roomId = BrowserFixture.NewRoomId("frontend");
        var alice = await browser.OpenPageAsync("alice");
        var bob = await browser.OpenPageAsync("bob");

        Assert.Empty((await alice.JoinAsync(roomId)).Peers);
        Assert.Equal(["alice"], (await bob.JoinAsync(roomId)).Peers);
        await alice.WaitForEventAsync(e => e.Is("newpeer", peer: "bob"), "newpeer for bob");

        var pages = new[] { alice, bob };
        foreach (var page in pages)
        {
            await page.ConsumeAsync();
        }

        foreach (var page in pages)
        {
            var produced = await page.ProduceAsync(audio: true, video: true);
            Assert.Equal(["audio", "video"], produced.Select(track => track.Kind).Order());
        }

        foreach (var (receiver, sender) in new[] { (alice, bob), (bob, alice) })
        {
            foreach (var kind in new[] { "audio", "video" })
            {
                await receiver.WaitForEventAsync(e => e.Is("consumerreceiving", sender.Name, kind), $"receiving {sender}'s {kind}");
                await receiver.WaitForInboundMediaAsync(sender.Name, kind);
            }
        }

        await alice.LeaveAsync();
        await bob.WaitForEventAsync(e => e.Is("peerclosed", "alice") && e.Originator == "remote", "peerclosed for alice");
        foreach (var kind in new[] { "audio", "video" })
        {
            await bob.WaitForEventAsync(e => e.Is("consumerclose", "alice", kind), $"alice's {kind} consumer closed with her");
        }

        // bob is still in the room and still served: his page saw nothing end on its side.
        Assert.DoesNotContain((await bob.LogAsync()).Events, e => e.Is("roomclose") || e.Is("signalingclose") || e.Is("signalingdisconnected"));
        await browser.AssertNoClientErrorsAsync();
    }
}
