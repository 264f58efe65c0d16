using System.Text.Json;
using Coordinator.Browser.Tests.Harness;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Scenarios;

/// <summary>
/// The operator dashboard the node serves at /dashboard (clients/web/dashboard), next to two room
/// pages in one room: it shows the room with both peers and their producers' live bitrate, and
/// removing a peer from it ends that page's session with the operator-removed message. The node is
/// in development mode, so the dashboard needs no token. Screenshots go to
/// <c>bin/…/artifacts/screenshots/</c>; <c>dashboard-room.png</c> is docs/images/dashboard.png.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_dashboard_shows_a_room_with_live_producers_and_removes_a_peer_after_confirmation()
    {
        await using var browser = await fixture.StartBrowserAsync(output);
        var roomId = BrowserFixture.NewRoomId("dashboard");
        var ann = await browser.OpenRoomPageAsync("ann", fixture.RoomPageUri(roomId, "Ann"));
        var ben = await browser.OpenRoomPageAsync("ben", fixture.RoomPageUri(roomId, "Ben"));
        await ann.JoinAsync();
        await ben.JoinAsync();
        var annPeer = await PeerNameAsync(ann);
        var benPeer = await PeerNameAsync(ben);

        // Other scenarios' rooms may still be open on the shared node: the link names this one.
        var dashboard = await browser.OpenDashboardAsync("dashboard", new Uri($"http://{fixture.GatewayUri.Authority}/dashboard#room={Uri.EscapeDataString(roomId)}"));

        var seen = await dashboard.WaitForAsync(
            view => view.ShownRoom == roomId
                && view.Peers.Length == 2
                && view.Peers.All(peer => peer.Producers.Length == 2 && peer.Producers.All(producer => producer.Bitrate > 0 && producer.State == "live")),
            "the room with both peers, each with a live audio and video producer with a bitrate");
        output.WriteLine($"dashboard: {JsonSerializer.Serialize(seen)}");
        Assert.Contains(roomId, seen.Rooms);
        Assert.Equal([annPeer, benPeer], seen.Peers.Select(peer => peer.Name));
        Assert.All(seen.Peers, peer => Assert.Equal(["audio", "video"], peer.Producers.Select(producer => producer.Kind).Order()));
        Assert.All(seen.Peers, peer => Assert.True(peer.Transports >= 2, $"{peer.Name} has a send and a receive transport"));
        Assert.Single(seen.Silos);
        Assert.Single(seen.Workers);
        Assert.Empty(seen.Messages);

        // The consumers fill in as the room pages receive each other's media.
        seen = await dashboard.WaitForAsync(
            view => view.Peers.All(peer => peer.Consumers.Length == 2 && peer.Consumers.All(consumer => consumer.Bitrate > 0 && consumer.Profile != "none")),
            "each peer's two consumers receiving, with an effective profile");
        Save(await dashboard.ScreenshotAsync(BrowserFixture.ScreenshotPath("dashboard-room.png")));

        await dashboard.RemovePeerAsync(benPeer);

        var removed = await Poll.UntilAsync(ben.StateAsync, state => Phase(state) == "lobby", RoomPage.ChangeTimeout, "ben: back in the lobby after being removed");
        var notice = removed.GetProperty("notice").GetProperty("text").GetString()!;
        Assert.Contains("removed from the room, or the room was closed, by the server", notice);
        Assert.Contains("removed by an operator from the dashboard", notice);
        await ann.WaitForTilesAsync(tiles => tiles.Length == 0, "Ben's tile gone from Ann's page");
        Assert.Equal("joined", await ann.PhaseAsync());

        var after = await dashboard.WaitForAsync(
            view => view.Peers.Select(peer => peer.Name).SequenceEqual([annPeer]),
            "the room with Ann alone");
        Assert.Contains(after.Messages, message => message == $"Peer \"{benPeer}\" removed from room \"{roomId}\".");
        Save(await dashboard.ScreenshotAsync(BrowserFixture.ScreenshotPath("dashboard-peer-removed.png")));
        Save(await ben.ScreenshotAsync(BrowserFixture.ScreenshotPath("dashboard-removed-room-page.png")));

        await browser.AssertNoClientErrorsAsync();
    }

    private static async Task<string> PeerNameAsync(RoomPage page) =>
        (await page.StateAsync()).GetProperty("self").GetProperty("peerName").GetString()!;

    private static string? Phase(JsonElement state) => state.GetProperty("phase").GetString();

    private void Save(string path) => output.WriteLine($"screenshot: {path}");
}
