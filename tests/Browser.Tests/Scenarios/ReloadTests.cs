using Coordinator.Browser.Tests.Harness;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Scenarios;

/// <summary>Scenario 5: a receiver reloads its page, rejoins under the same name and gets the media again.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReloadTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Bob_reloads_rejoins_and_receives_alice_again()
    {
        await using var browser = await fixture.StartBrowserAsync(output);
        var roomId = BrowserFixture.NewRoomId("reload");
        var alice = await browser.OpenPageAsync("alice");
        await alice.JoinAsync(roomId);
        await alice.ProduceAsync(audio: true, video: true);

        var bob = await browser.OpenPageAsync("bob");
        await bob.JoinAsync(roomId);
        await bob.ConsumeAsync();
        await bob.WaitForInboundMediaAsync("alice", "video");

        await bob.ReloadAsync();
        var reloaded = await bob.WaitForEventAsync(e => e.Is("reloaded"), "the reload marker");
        var bobLeft = await alice.WaitForEventAsync(e => e.Is("peerclosed", "bob"), "peerclosed for bob after his reload");

        Assert.Equal(["alice"], (await bob.JoinAsync(roomId)).Peers);
        await bob.ConsumeAsync();
        await alice.WaitForEventAsync(e => e.Index > bobLeft.Index && e.Is("newpeer", "bob"), "newpeer for bob after he rejoined");

        foreach (var kind in new[] { "audio", "video" })
        {
            await bob.WaitForEventAsync(
                e => e.Index > reloaded.Index && e.Is("newconsumer", "alice", kind) && e.Source == "join",
                $"alice's {kind} consumer in the new join response");
            await bob.WaitForInboundMediaAsync("alice", kind);
        }

        await browser.AssertNoClientErrorsAsync();
    }
}
