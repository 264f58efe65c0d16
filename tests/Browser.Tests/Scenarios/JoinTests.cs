using Coordinator.Browser.Tests.Harness;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Scenarios;

/// <summary>Scenario 0 (smoke): two real clients meet in a room.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JoinTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Bob_sees_alice_arrive_and_leave()
    {
        await using var browser = await fixture.StartBrowserAsync(output);
        var roomId = BrowserFixture.NewRoomId("smoke");
        var bob = await browser.OpenPageAsync("bob");
        var alice = await browser.OpenPageAsync("alice");

        Assert.Empty((await bob.JoinAsync(roomId)).Peers);
        Assert.Equal(["bob"], (await alice.JoinAsync(roomId)).Peers);

        // Peers in the join response are not announced with 'newpeer'; later arrivals are.
        await bob.WaitForEventAsync(e => e.Is("newpeer", peer: "alice"), "newpeer for alice");

        await alice.LeaveAsync();
        await bob.WaitForEventAsync(e => e.Is("peerclosed", peer: "alice") && e.Originator == "remote", "peerclosed for alice");

        Assert.DoesNotContain((await alice.LogAsync()).Events, e => e.Is("newpeer"));
        await browser.AssertNoClientErrorsAsync();
    }
}
