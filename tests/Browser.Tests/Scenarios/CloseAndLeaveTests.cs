using Coordinator.Browser.Tests.Harness;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Scenarios;

/// <summary>Scenario 4: a closed producer closes its consumers; a leaving peer is announced.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CloseAndLeaveTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Consumers_close_then_the_peer_closes()
    {
        await using var browser = await fixture.StartBrowserAsync(output);
        var roomId = BrowserFixture.NewRoomId("close");
        var receivers = new[] { await browser.OpenPageAsync("bob"), await browser.OpenPageAsync("carol") };
        foreach (var receiver in receivers)
        {
            await receiver.JoinAsync(roomId);
            await receiver.ConsumeAsync();
        }

        var alice = await browser.OpenPageAsync("alice");
        await alice.JoinAsync(roomId);
        await alice.ProduceAsync(audio: true, video: true);
        foreach (var receiver in receivers)
        {
            await receiver.WaitForEventAsync(e => e.Is("consumerreceiving", "alice", "video"), "receiving alice's video");
        }

        await alice.CloseProducerAsync("video");
        var videoClosed = new Dictionary<TestPage, PageEvent>();
        foreach (var receiver in receivers)
        {
            // The server's consumerClosed notification: the consumer closes with originator "remote".
            videoClosed[receiver] = await receiver.WaitForEventAsync(
                e => e.Is("consumerclose", "alice", "video") && e.Originator == "remote", "alice's video consumer closed");
            Assert.False((await receiver.ConsumerStateAsync("alice", "audio")).Closed);
        }

        await alice.LeaveAsync();
        foreach (var receiver in receivers)
        {
            var peerClosed = await receiver.WaitForEventAsync(
                e => e.Is("peerclosed", "alice") && e.Originator == "remote", "peerclosed for alice");
            Assert.True(videoClosed[receiver].Index < peerClosed.Index, "the video consumer closed before the peer");

            // No consumerClosed for the audio consumer: the client closes it itself with the peer.
            await receiver.WaitForEventAsync(e => e.Is("consumerclose", "alice", "audio"), "alice's audio consumer closed with her");
        }

        await browser.AssertNoClientErrorsAsync();
    }
}
