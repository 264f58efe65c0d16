using Coordinator.Browser.Tests.Harness;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Scenarios;

/// <summary>
/// Scenario 2: alice sends three simulcast layers (160, 320 and 640 pixels wide); bob's preferred
/// profile selects the layer he receives, which shows in his decoded width.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SimulcastProfileTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan LayersTimeout = TimeSpan.FromSeconds(30);

    // app.js captures 640x480 and scales the layers 1/4, 1/2, 1.
    private static readonly Dictionary<string, int> WidthByProfile = new() { ["low"] = 160, ["medium"] = 320, ["high"] = 640 };

    [Fact]
    public async Task The_preferred_profile_selects_the_layer_bob_decodes()
    {
        await using var browser = await fixture.StartBrowserAsync(output);
        var roomId = BrowserFixture.NewRoomId("simulcast");
        var bob = await browser.OpenPageAsync("bob");
        await bob.JoinAsync(roomId);
        await bob.ConsumeAsync();

        var alice = await browser.OpenPageAsync("alice");
        await alice.JoinAsync(roomId);
        // Audio too: a send transport must not start with video alone (see produce() in web/app.js).
        await alice.ProduceAsync(audio: true, video: true, simulcast: true);
        await WaitUntilAllLayersAreSentAsync(alice);

        await bob.WaitForEventAsync(e => e.Is("consumerreceiving", "alice", "video"), "receiving alice's video");
        await bob.WaitForInboundMediaAsync("alice", "video");

        await SwitchProfileAsync(bob, "low");
        await SwitchProfileAsync(bob, "high");

        await browser.AssertNoClientErrorsAsync();
    }

    /// <summary>Chromium starts the upper layers late; the profile checks only mean something once all three flow.</summary>
    private static async Task WaitUntilAllLayersAreSentAsync(TestPage sender)
    {
        var first = await Poll.UntilAsync(
            () => sender.SendStatsAsync(),
            stats => stats.Layers.Count == 3 && stats.Layers.All(layer => layer.BytesSent > 0),
            LayersTimeout,
            $"{sender.Name}: three simulcast layers being sent");
        Assert.Equal([160, 320, 640], first.Layers.Select(layer => layer.FrameWidth).Order());

        await Poll.UntilAsync(
            () => sender.SendStatsAsync(),
            stats => stats.Layers.All(layer => layer.BytesSent > first.Layers.Single(l => l.Ssrc == layer.Ssrc).BytesSent),
            LayersTimeout,
            $"{sender.Name}: every simulcast layer still growing");
    }

    /// <summary>
    /// Sets the preference, then waits until the effective profile has settled on it: with the
    /// default preference the worker may still be stepping up through the layers, so the first
    /// matching event is not enough.
    /// </summary>
    private static async Task SwitchProfileAsync(TestPage receiver, string profile)
    {
        await receiver.SetPreferredProfileAsync("alice", profile);
        await Poll.UntilAsync(
            () => receiver.ConsumerStateAsync("alice", "video"),
            state => state.PreferredProfile == profile && state.EffectiveProfile == profile,
            TestPage.MediaTimeout,
            $"{receiver.Name}: effective profile {profile}");
        await receiver.WaitForEventAsync(e => e.Is("effectiveprofilechange", "alice", "video") && e.Profile == profile, $"effective profile {profile} announced");

        var width = WidthByProfile[profile];
        await Poll.UntilAsync(
            () => receiver.DecodedVideoAsync("alice"),
            video => video.FrameWidth == width && video.VideoWidth == width,
            TestPage.MediaTimeout,
            $"{receiver.Name}: alice's video decoded {width} pixels wide ({profile})");
    }
}
