using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.TestSupport;

/// <summary>Builds mediasoup requests from the real captured Chromium messages, with fresh ids.</summary>
public static class Requests
{
    private static int _nextId = 10_000_000 + Random.Shared.Next(1_000_000);

    public static uint NewId() => (uint)Interlocked.Increment(ref _nextId);

    /// <summary>A send transport as Chromium creates it (with <c>dtlsParameters</c>, role server).</summary>
    public static JsonObject SendTransport(uint id) => With(CapturedSession.Sent("alice", "createTransport"), id);

    /// <summary>A receive transport as Chromium creates it (no DTLS parameters yet).</summary>
    public static JsonObject RecvTransport(uint id) => With(CapturedSession.Sent("bob", "createTransport"), id);

    public static JsonObject UpdateTransport(uint id) => With(CapturedSession.Sent("bob", "updateTransport"), id);

    /// <summary>The captured audio or video producer on <paramref name="transportId"/>.</summary>
    public static JsonObject Producer(uint id, uint transportId, string kind, bool paused = false)
    {
        var request = With(CapturedSession.SentAll("alice", "createProducer").Single(p => p.GetProperty("kind").GetString() == kind), id);
        request["transportId"] = transportId;
        request["paused"] = paused;
        return request;
    }

    public static JsonObject EnableConsumer(uint id, uint transportId, bool paused = false) => new()
    {
        ["method"] = "enableConsumer",
        ["target"] = "peer",
        ["id"] = id,
        ["transportId"] = transportId,
        ["paused"] = paused,
        ["preferredProfile"] = "default",
    };

    public static object Notification(string method, object? id = null, object? extra = null)
    {
        var node = new JsonObject { ["method"] = method, ["target"] = "peer", ["notification"] = true };
        if (id is not null)
        {
            node["id"] = JsonSerializer.SerializeToNode(id);
        }

        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                node[key] = value?.DeepClone();
            }
        }

        return node;
    }

    private static JsonObject With(JsonElement captured, uint id)
    {
        var node = JsonNode.Parse(captured.GetRawText())!.AsObject();
        node["id"] = id;
        return node;
    }
}
