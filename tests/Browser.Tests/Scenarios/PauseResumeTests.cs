using Coordinator.Browser.Tests.Harness;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Scenarios;

/// <summary>Scenario 3: a producer pause and resume reach the consuming client.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PauseResumeTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Bob_sees_alices_video_pause_and_resume()
    {
        await using var browser = await fixture.StartBrowserAsync(output);
        var roomId = BrowserFixture.NewRoomId("pause");
        var bob = await browser.OpenPageAsync("bob");
        await bob.JoinAsync(roomId);
        await bob.ConsumeAsync();

        var alice = await browser.OpenPageAsync("alice");
        await alice.JoinAsync(roomId);
        await alice.ProduceAsync(audio: true, video: true);
        await bob.WaitForEventAsync(e => e.Is("consumerreceiving", "alice", "video"), "receiving alice's video");
        await bob.WaitForInboundMediaAsync("alice", "video");

        await alice.PauseProducerAsync("video");
        var paused = await bob.WaitForEventAsync(
            e => e.Is("consumerpause", "alice", "video") && e.Originator == "remote", "alice's video consumer paused");
        Assert.True((await bob.ConsumerStateAsync("alice", "video")).Paused);
        Assert.False((await bob.ConsumerStateAsync("alice", "audio")).Paused);

        await alice.ResumeProducerAsync("video");
        await bob.WaitForEventAsync(
            e => e.Index > paused.Index && e.Is("consumerresume", "alice", "video") && e.Originator == "remote",
            "alice's video consumer resumed");
        Assert.False((await bob.ConsumerStateAsync("alice", "video")).Paused);
        await bob.WaitForInboundMediaAsync("alice", "video");

        await browser.AssertNoClientErrorsAsync();
    }
}
