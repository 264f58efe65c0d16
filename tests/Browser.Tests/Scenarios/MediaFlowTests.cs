using Coordinator.Browser.Tests.Harness;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Scenarios;

/// <summary>Scenario 1: audio and video reach a peer that was there before and one that joins late.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MediaFlowTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Audio_and_video_reach_an_earlier_and_a_late_peer()
    {
        await using var browser = await fixture.StartBrowserAsync(output);
        var roomId = BrowserFixture.NewRoomId("media");
        var bob = await browser.OpenPageAsync("bob");
        await bob.JoinAsync(roomId);
        await bob.ConsumeAsync();

        var alice = await browser.OpenPageAsync("alice");
        await alice.JoinAsync(roomId);
        var produced = await alice.ProduceAsync(audio: true, video: true);
        Assert.Equal(["audio", "video"], produced.Select(track => track.Kind).Order());

        foreach (var kind in new[] { "audio", "video" })
        {
            // bob was there first: alice's consumers reach him as 'newconsumer' notifications.
            await bob.WaitForEventAsync(e => e.Is("newconsumer", "alice", kind) && e.Source == "newconsumer", $"newconsumer for alice's {kind}");
            await bob.WaitForEventAsync(e => e.Is("consumerreceiving", "alice", kind), $"receiving alice's {kind}");
            await bob.WaitForInboundMediaAsync("alice", kind);
        }

        var carol = await browser.OpenPageAsync("carol");
        var joined = await carol.JoinAsync(roomId);
        Assert.Equal(["alice", "bob"], joined.Peers.Order());
        await carol.ConsumeAsync();

        foreach (var kind in new[] { "audio", "video" })
        {
            // carol joins late: alice's consumers come with the join response.
            await carol.WaitForEventAsync(e => e.Is("newconsumer", "alice", kind) && e.Source == "join", $"alice's {kind} consumer in the join response");
            await carol.WaitForEventAsync(e => e.Is("consumerreceiving", "alice", kind), $"receiving alice's {kind}");
            await carol.WaitForInboundMediaAsync("alice", kind);
        }

        await browser.AssertNoClientErrorsAsync();
    }
}
