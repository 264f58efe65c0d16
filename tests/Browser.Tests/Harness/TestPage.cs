using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// One browser tab acting as the mediasoup peer <see cref="Name"/>: a thin typed wrapper over the
/// page's <c>window.test</c> API (web/app.js), plus bounded waits on its event log and stats.
/// </summary>
public sealed class TestPage(BrowserDriver driver, string name)
{
    public static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(15);

    // Growth that proves media flows: a second or so of Opus, a few VP8 frames.
    private const long AudioGrowthBytes = 1_000;
    private const long VideoGrowthBytes = 5_000;

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public string Name { get; } = name;

    /// <summary>Connects (protoo) and joins the room as the peer named like this page.</summary>
    public Task<JoinResult> JoinAsync(string roomId) => CallAsync<JoinResult>("join", roomId, Name);

    /// <summary>Captures the fake devices and sends them; with simulcast the video layers are scaled 1/4, 1/2, 1.</summary>
    public Task<ProducedTrack[]> ProduceAsync(bool audio = true, bool video = true, bool simulcast = false) =>
        CallAsync<ProducedTrack[]>("produce", new { audio, video, simulcast });

    /// <summary>Receives every consumer on one recv transport, now and as later ones arrive.</summary>
    public Task ConsumeAsync() => CallAsync<JsonElement>("consume");

    public Task PauseProducerAsync(string kind) => CallAsync<JsonElement>("pauseProducer", kind);

    public Task ResumeProducerAsync(string kind) => CallAsync<JsonElement>("resumeProducer", kind);

    public Task CloseProducerAsync(string kind) => CallAsync<JsonElement>("closeProducer", kind);

    public Task SetPreferredProfileAsync(string fromPeer, string profile) =>
        CallAsync<JsonElement>("setPreferredProfile", fromPeer, profile);

    public Task LeaveAsync() => CallAsync<JsonElement>("leave");

    public Task<ConsumerState> ConsumerStateAsync(string fromPeer, string kind) =>
        CallAsync<ConsumerState>("consumerState", fromPeer, kind);

    public Task<InboundStats> InboundAsync(string fromPeer, string kind) => CallAsync<InboundStats>("inbound", fromPeer, kind);

    public Task<DecodedVideo> DecodedVideoAsync(string fromPeer) => CallAsync<DecodedVideo>("decodedVideo", fromPeer);

    public Task<SendStats> SendStatsAsync(string kind = "video") => CallAsync<SendStats>("sentLayers", kind);

    /// <summary>Reloads the tab; the page starts over (not joined), its log in the driver continues.</summary>
    public Task ReloadAsync() => driver.SendAsync(new JsonObject { ["op"] = "reload", ["page"] = Name });

    public Task<PageLog> LogAsync() => driver.LogOfAsync(Name);

    public async Task<PageEvent> WaitForEventAsync(Func<PageEvent, bool> match, string awaited, TimeSpan? timeout = null)
    {
        var log = await Poll.UntilAsync(LogAsync, log => log.Events.Any(match), timeout ?? EventTimeout, $"{Name}: {awaited}");
        return log.Events.First(match);
    }

    /// <summary>Waits until this page's inbound-rtp for that consumer grows, i.e. media really arrives and decodes.</summary>
    public async Task<InboundStats> WaitForInboundMediaAsync(string fromPeer, string kind, TimeSpan? timeout = null)
    {
        var limit = timeout ?? MediaTimeout;
        var awaited = $"{Name}: {kind} from {fromPeer} arriving";
        var first = await Poll.UntilAsync(() => InboundAsync(fromPeer, kind), stats => stats.Found && stats.BytesReceived > 0, limit, awaited);
        var growth = kind == "video" ? VideoGrowthBytes : AudioGrowthBytes;
        return await Poll.UntilAsync(
            () => InboundAsync(fromPeer, kind),
            stats => stats.BytesReceived >= first.BytesReceived + growth
                && (kind != "video" || stats.FramesDecoded > first.FramesDecoded),
            limit,
            $"{awaited} (bytes growing beyond {first.BytesReceived} + {growth}{(kind == "video" ? ", frames decoded" : "")})");
    }

    private async Task<T> CallAsync<T>(string function, params object?[] args)
    {
        var command = new JsonObject
        {
            ["op"] = "call",
            ["page"] = Name,
            ["fn"] = function,
            ["args"] = JsonSerializer.SerializeToNode(args, Json),
        };
        var result = await driver.SendAsync(command);
        return result.Deserialize<T>(Json)!;
    }

    public override string ToString() => Name;
}
