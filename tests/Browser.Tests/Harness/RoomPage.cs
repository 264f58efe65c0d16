using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// One tab showing the room page the gateway serves (clients/web/room), driven like a user: clicks
/// on its buttons, and reads of what it shows (its tiles) and of its read-only
/// <c>window.roomPageState</c>.
/// </summary>
public sealed class RoomPage(BrowserDriver driver, string name)
{
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(10);

    // Every tile of another peer, as the page shows it.
    private const string TilesScript = """
        [...document.querySelectorAll('.tile:not(.self)')].map((tile) => {
            const video = tile.querySelector('video');
            return {
                peer: tile.dataset.peer,
                name: tile.querySelector('.name').textContent,
                camera: tile.dataset.camera,
                mic: tile.dataset.mic,
                quality: tile.dataset.quality,
                qualityTitle: tile.querySelector('.quality').title,
                framesDecoded: video.getVideoPlaybackQuality().totalVideoFrames,
                videoWidth: video.videoWidth
            };
        })
        """;

    public string Name { get; } = name;

    /// <summary>Presses Join and waits until the page says it has joined.</summary>
    public async Task JoinAsync()
    {
        await ClickAsync("#join");
        await Poll.UntilAsync(PhaseAsync, phase => phase == "joined", JoinTimeout, $"{Name}: the page joined");
    }

    public Task ClickAsync(string selector) =>
        driver.SendAsync(new JsonObject { ["op"] = "click", ["page"] = Name, ["selector"] = selector });

    public async Task<string> PhaseAsync() => (await EvaluateAsync("window.roomPageState.phase")).GetString()!;

    public async Task<JsonElement> StateAsync() => await EvaluateAsync("window.roomPageState");

    public async Task<Tile[]> TilesAsync() => (await EvaluateAsync(TilesScript)).Deserialize<Tile[]>(JsonSerializerOptions.Web)!;

    /// <summary>Waits until the tiles satisfy <paramref name="done"/>; returns what they were then.</summary>
    public Task<Tile[]> WaitForTilesAsync(Func<Tile[], bool> done, string awaited, TimeSpan? timeout = null) =>
        Poll.UntilAsync(TilesAsync, done, timeout ?? ChangeTimeout, $"{Name}: {awaited}");

    /// <summary>Saves what the tab shows as a PNG and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await driver.SendAsync(new JsonObject { ["op"] = "screenshot", ["page"] = Name, ["path"] = path });
        return path;
    }

    public Task<PageLog> LogAsync() => driver.LogOfAsync(Name);

    private Task<JsonElement> EvaluateAsync(string expression) =>
        driver.SendAsync(new JsonObject { ["op"] = "evaluate", ["page"] = Name, ["expression"] = expression });

    public override string ToString() => Name;

    /// <summary>Another peer's tile: its display name, camera and microphone state, quality, decoded frames.</summary>
    public sealed record Tile(string Peer, string Name, string Camera, string Mic, string Quality, string QualityTitle, long FramesDecoded, int VideoWidth);
}
