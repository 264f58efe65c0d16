using Coordinator.Browser.Tests.Harness;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Scenarios;

/// <summary>
/// The room page the node serves at / (clients/web/room), used as a person would: two tabs join one
/// room with Chromium's fake camera and microphone, see each other, one stops its camera, then leaves.
/// Screenshots of each state go to <c>bin/…/artifacts/screenshots/</c> (the path is in the test output).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RoomPageTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_pages_see_each_other_then_a_stopped_camera_and_a_departure_show_on_the_other()
    {
        await using var browser = await fixture.StartBrowserAsync(output);
        var roomId = BrowserFixture.NewRoomId("room-page");
        var ann = await browser.OpenRoomPageAsync("ann", fixture.RoomPageUri(roomId, "Ann"));
        var ben = await browser.OpenRoomPageAsync("ben", fixture.RoomPageUri(roomId, "Ben"));

        await ann.JoinAsync();
        await ben.JoinAsync();

        // Each decodes the other's video, under the other's display name.
        var annSees = await ann.WaitForTilesAsync(
            tiles => tiles is [{ Name: "Ben", Camera: "on", Mic: "on", FramesDecoded: > 0 }], "Ben's video decoding", RoomPage.JoinTimeout);
        await ben.WaitForTilesAsync(
            tiles => tiles is [{ Name: "Ann", Camera: "on", Mic: "on", FramesDecoded: > 0 }], "Ann's video decoding", RoomPage.JoinTimeout);

        // The quality indicator fills in from the server's consumer stats.
        annSees = await ann.WaitForTilesAsync(
            tiles => tiles is [{ Quality: "good" or "fair" or "poor" }], "a quality level for Ben's video");
        output.WriteLine($"ann's tile of Ben: {annSees[0]}");
        Save(await ann.ScreenshotAsync(BrowserFixture.ScreenshotPath("room-page-two-peers.png")));

        await ann.ClickAsync("#toggle-camera");
        await ben.WaitForTilesAsync(tiles => tiles is [{ Name: "Ann", Camera: "off", Mic: "on" }], "Ann's tile showing her camera off");
        Save(await ben.ScreenshotAsync(BrowserFixture.ScreenshotPath("room-page-camera-off.png")));

        await ann.ClickAsync("#toggle-mic");
        await ben.WaitForTilesAsync(tiles => tiles is [{ Name: "Ann", Camera: "off", Mic: "off" }], "Ann's tile showing her microphone off");

        await ann.ClickAsync("#leave");
        await ben.WaitForTilesAsync(tiles => tiles.Length == 0, "Ann's tile gone");
        Assert.Equal("joined", await ben.PhaseAsync());
        Assert.Equal("lobby", await ann.PhaseAsync());
        Save(await ben.ScreenshotAsync(BrowserFixture.ScreenshotPath("room-page-peer-left.png")));

        await browser.AssertNoClientErrorsAsync();
    }

    private void Save(string path) => output.WriteLine($"screenshot: {path}");
}
