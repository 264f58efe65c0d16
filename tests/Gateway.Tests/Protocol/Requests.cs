using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests.Protocol;

/// <summary>Builds mediasoup requests from the real captured Chromium messages, with fresh ids.</summary>
internal static class Requests
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

/// <summary>Protocol steps over a <see cref="ProtooClient"/>, asserting success where success is the point.</summary>
internal static class Steps
{
    public static async Task<JsonElement> Ok(this Task<JsonElement> response)
    {
        var frame = await response;
        Assert.True(frame.TryGetProperty("ok", out var ok) && ok.GetBoolean(), frame.ToString());
        return frame.GetProperty("data");
    }

    public static async Task<string> Error(this Task<JsonElement> response)
    {
        var frame = await response;
        Assert.False(frame.TryGetProperty("ok", out _), $"expected an error, got {frame}");
        return frame.GetProperty("errorReason").GetString()!;
    }

    public static Task Notify(this ProtooClient client, object notification) => client.NotifyAsync("mediasoup-notification", notification);

    /// <summary>Sends a notification, then a request that is answered only after it was handled (messages of one socket are handled in order).</summary>
    public static async Task NotifyAndSettle(this ProtooClient client, object notification)
    {
        await client.Notify(notification);
        await client.QueryRoomAsync();
    }

    public static async Task<uint> CreateSendTransport(this ProtooClient client)
    {
        var id = Requests.NewId();
        await client.MediasoupAsync(Requests.SendTransport(id)).Ok();
        return id;
    }

    public static async Task<uint> CreateRecvTransport(this ProtooClient client)
    {
        var id = Requests.NewId();
        await client.MediasoupAsync(Requests.RecvTransport(id)).Ok();
        await client.Notify(Requests.UpdateTransport(id));
        return id;
    }

    public static async Task<uint> Produce(this ProtooClient client, uint transportId, string kind, bool paused = false)
    {
        var id = Requests.NewId();
        await client.MediasoupAsync(Requests.Producer(id, transportId, kind, paused)).Ok();
        return id;
    }

    public static IReadOnlyList<JsonElement> Notifications(this ProtooClient client, string method) =>
        [.. client.Notifications.Where(n => n.GetProperty("method").GetString() == method)];

    public static IReadOnlyList<string> Methods(this ProtooClient client) =>
        [.. client.Notifications.Select(n => n.GetProperty("method").GetString()!)];
}
