using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Benchmarks;

/// <summary>
/// Real inputs from the captured Chromium session (join capabilities, createProducer requests, the
/// server's consumer JSON): <c>tests/data/client/chromium156-mediasoup2.6.19-session.json</c>, built into
/// this assembly so the benchmarks run from any folder.
/// </summary>
public static class Inputs
{
    /// <summary>The manifest name Coordinator.Benchmarks.csproj gives the embedded session.</summary>
    public const string SessionResource = "Coordinator.Benchmarks.CapturedSession.json";

    private static readonly Lazy<JsonElement> Session = new(() =>
    {
        using var stream = typeof(Inputs).Assembly.GetManifestResourceStream(SessionResource)
            ?? throw new InvalidOperationException($"resource {SessionResource} is missing; see Coordinator.Benchmarks.csproj");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    });

    /// <summary>The mediasoup message <paramref name="peer"/> sent with this method (the first one that matches).</summary>
    public static JsonObject Sent(string peer, string method, Func<JsonObject, bool>? match = null) =>
        Session.Value.GetProperty(peer).EnumerateArray()
            .Where(entry => entry.GetProperty("dir").GetString() == "out")
            .Select(entry => JsonNode.Parse(entry.GetProperty("msg").GetProperty("message").GetRawText())!.AsObject())
            .First(message => (string?)message["method"] == method && (match?.Invoke(message) ?? true));

    public static JsonObject CreateProducer(string kind) => Sent("alice", "createProducer", m => (string?)m["kind"] == kind);

    /// <summary>The consumers the real server put in carol's join response (alice's audio and video).</summary>
    public static IReadOnlyList<JsonObject> CapturedJoinConsumers()
    {
        var carol = Session.Value.GetProperty("carol").EnumerateArray().ToArray();
        var joinId = carol.First(e => e.GetProperty("dir").GetString() == "out"
            && e.GetProperty("msg").GetProperty("message").GetProperty("method").GetString() == "join").GetProperty("msg").GetProperty("id").GetInt32();
        var response = carol.First(e => e.GetProperty("dir").GetString() == "in"
            && e.GetProperty("msg").TryGetProperty("id", out var id) && id.GetInt32() == joinId).GetProperty("msg").GetProperty("data");
        return [.. response.GetProperty("peers").EnumerateArray()
            .SelectMany(peer => peer.GetProperty("consumers").EnumerateArray())
            .Select(consumer => JsonNode.Parse(consumer.GetRawText())!.AsObject())];
    }

    /// <summary>A join response as the server sends it to a peer joining a room of <paramref name="peers"/> publishers (2 consumers each).</summary>
    public static JsonObject JoinResponseData(int peers)
    {
        var templates = CapturedJoinConsumers();
        var list = new JsonArray();
        for (var p = 0; p < peers; p++)
        {
            var consumers = new JsonArray();
            foreach (var template in templates)
            {
                var consumer = (JsonObject)template.DeepClone();
                consumer["id"] = 10_000_000 + (p * 10) + consumers.Count;
                consumer["peerName"] = $"member-{p}";
                consumers.Add(consumer);
            }

            list.Add(new JsonObject { ["consumers"] = consumers, ["name"] = $"member-{p}", ["appData"] = new JsonObject { ["displayName"] = $"Member {p}" } });
        }

        return new JsonObject { ["peers"] = list };
    }
}
