using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// One tab showing the operator dashboard the gateway serves (clients/web/dashboard), driven like an
/// operator: reads of what it shows (rooms, peers, producers with their bitrate, messages) and clicks
/// on its buttons, confirmations included.
/// </summary>
public sealed class DashboardPage(BrowserDriver driver, string name)
{
    /// <summary>The dashboard refreshes every 2 s; a change shows within a few refreshes.</summary>
    public static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(15);

    // What the page shows, read from its DOM.
    private const string ViewScript = """
        ({
            rooms: [...document.querySelectorAll('#rooms tr[data-room]')].map((row) => row.dataset.room),
            shownRoom: document.querySelector('#room [data-shown-room]')?.dataset.shownRoom ?? null,
            peers: [...document.querySelectorAll('#room .peer')].map((peer) => ({
                name: peer.dataset.peer,
                transports: peer.querySelectorAll('table.transports tbody tr').length,
                producers: [...peer.querySelectorAll('tr.producer')].map((row) => ({
                    id: Number(row.dataset.producer),
                    kind: row.children[1].textContent,
                    state: row.children[2].textContent,
                    bitrate: Number(row.querySelector('.bitrate').dataset.bitrate || 0)
                })),
                consumers: [...peer.querySelectorAll('tr.consumer')].map((row) => ({
                    id: Number(row.dataset.consumer),
                    from: row.children[2].textContent,
                    state: row.children[3].textContent,
                    profile: row.children[4].textContent,
                    bitrate: Number(row.querySelector('.bitrate').dataset.bitrate || 0)
                }))
            })),
            silos: [...document.querySelectorAll('#cluster tr[data-silo]')].map((row) => row.dataset.silo),
            workers: [...document.querySelectorAll('#cluster [data-worker]')].map((item) => item.textContent),
            messages: [...document.querySelectorAll('#messages .message')].map((message) => message.textContent),
            status: document.getElementById('status').textContent
        })
        """;

    public string Name { get; } = name;

    public async Task<View> ViewAsync() => (await EvaluateAsync(ViewScript)).Deserialize<View>(JsonSerializerOptions.Web)!;

    /// <summary>Waits until what the page shows satisfies <paramref name="done"/>; returns it as it was then.</summary>
    public Task<View> WaitForAsync(Func<View, bool> done, string awaited, TimeSpan? timeout = null) =>
        Poll.UntilAsync(ViewAsync, done, timeout ?? ChangeTimeout, $"{Name}: {awaited}");

    /// <summary>Presses "Remove peer" on that peer's card, then confirms in the dialog.</summary>
    public async Task RemovePeerAsync(string peerName)
    {
        await ClickAsync($"#room .peer[data-peer=\"{peerName}\"] button[data-action=\"remove-peer\"]");
        await ClickAsync("#confirm[open] #confirm-ok");
    }

    public Task ClickAsync(string selector) =>
        driver.SendAsync(new JsonObject { ["op"] = "click", ["page"] = Name, ["selector"] = selector });

    /// <summary>Saves the whole page as a PNG and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await driver.SendAsync(new JsonObject { ["op"] = "screenshot", ["page"] = Name, ["path"] = path, ["fullPage"] = true });
        return path;
    }

    private Task<JsonElement> EvaluateAsync(string expression) =>
        driver.SendAsync(new JsonObject { ["op"] = "evaluate", ["page"] = Name, ["expression"] = expression });

    public override string ToString() => Name;

    public sealed record View(
        string[] Rooms, string? ShownRoom, Peer[] Peers, string[] Silos, string[] Workers, string[] Messages, string Status);

    public sealed record Peer(string Name, int Transports, Producer[] Producers, Consumer[] Consumers);

    public sealed record Producer(long Id, string Kind, string State, long Bitrate);

    public sealed record Consumer(long Id, string From, string State, string Profile, long Bitrate);
}
