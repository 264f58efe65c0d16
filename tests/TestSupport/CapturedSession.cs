using System.Text.Json;

namespace Coordinator.TestSupport;

/// <summary>
/// The real session captured between mediasoup-client 2.4.12 in Chromium and mediasoup 2.6.19
/// (<c>tests/data/client/</c>, see tests/data/README.md): real join capabilities, real responses.
/// </summary>
public static class CapturedSession
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        using var stream = System.IO.File.OpenRead(TestData.File("client", "chromium156-mediasoup2.6.19-session.json"));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    });

    /// <summary>The mediasoup message the given peer sent with this method (first occurrence).</summary>
    public static JsonElement Sent(string peer, string method) =>
        Entries(peer)
            .Where(entry => entry.GetProperty("dir").GetString() == "out")
            .Select(entry => entry.GetProperty("msg").GetProperty("message"))
            .First(message => message.GetProperty("method").GetString() == method);

    /// <summary>Every mediasoup message the given peer sent with this method, in order.</summary>
    public static IReadOnlyList<JsonElement> SentAll(string peer, string method) =>
        [.. Entries(peer)
            .Where(entry => entry.GetProperty("dir").GetString() == "out")
            .Select(entry => entry.GetProperty("msg").GetProperty("message"))
            .Where(message => message.GetProperty("method").GetString() == method)];

    /// <summary>Every server notification with this method the given peer received, in order.</summary>
    public static IReadOnlyList<JsonElement> Received(string peer, string method) =>
        [.. Entries(peer)
            .Where(entry => entry.GetProperty("dir").GetString() == "in" && entry.GetProperty("msg").TryGetProperty("notification", out _))
            .Select(entry => entry.GetProperty("msg").GetProperty("notification"))
            .Where(notification => notification.GetProperty("method").GetString() == method)];

    /// <summary>The successful response data the peer received for its request with this method.</summary>
    public static JsonElement ResponseTo(string peer, string method)
    {
        var request = Entries(peer).First(entry =>
            entry.GetProperty("dir").GetString() == "out"
            && entry.GetProperty("msg").GetProperty("message").GetProperty("method").GetString() == method);
        var id = request.GetProperty("msg").GetProperty("id").GetInt32();
        return Entries(peer)
            .First(entry => entry.GetProperty("dir").GetString() == "in"
                && entry.GetProperty("msg").TryGetProperty("id", out var responseId) && responseId.GetInt32() == id)
            .GetProperty("msg").GetProperty("data");
    }

    /// <summary>The real Chromium <c>join</c> rtpCapabilities for the demo room.</summary>
    public static JsonElement JoinCapabilities => Sent("alice", "join").GetProperty("rtpCapabilities");

    private static IEnumerable<JsonElement> Entries(string peer) => Root.Value.GetProperty(peer).EnumerateArray();
}
