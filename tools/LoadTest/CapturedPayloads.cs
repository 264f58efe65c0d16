using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Tools.LoadTest;

/// <summary>
/// The real client messages the load uses, read at start from the captured Chromium session
/// (<c>tests/data/client/chromium156-mediasoup2.6.19-session.json</c>, built into this assembly): alice's
/// <c>join</c> capabilities, send <c>createTransport</c> (with her DTLS parameters) and audio and video
/// <c>createProducer</c>, bob's recv <c>createTransport</c> and <c>updateTransport</c>. Only the client-chosen
/// ids change.
/// </summary>
public sealed class CapturedPayloads
{
    public const string SessionFile = "chromium156-mediasoup2.6.19-session.json";

    /// <summary>The manifest name of the embedded copy of <see cref="SessionFile"/> (LoadTest.csproj links it from tests/data/client/).</summary>
    public const string ResourceName = "Coordinator.Tools.LoadTest.CapturedSession.json";

    private readonly JsonObject _join;
    private readonly JsonObject _sendTransport;
    private readonly JsonObject _recvTransport;
    private readonly JsonObject _updateTransport;
    private readonly JsonObject _audioProducer;
    private readonly JsonObject _videoProducer;

    private CapturedPayloads(JsonElement session, string source)
    {
        Source = source;
        _join = Sent(session, "alice", "join");
        _sendTransport = Sent(session, "alice", "createTransport");
        _recvTransport = Sent(session, "bob", "createTransport");
        _updateTransport = Sent(session, "bob", "updateTransport");
        _audioProducer = Sent(session, "alice", "createProducer", m => (string?)m["kind"] == "audio");
        _videoProducer = Sent(session, "alice", "createProducer", m => (string?)m["kind"] == "video");
        JoinRtpCapabilities = JsonSerializer.SerializeToElement(_join["rtpCapabilities"]);
    }

    /// <summary>Where the payloads came from: the built-in copy or the <c>--session</c> file.</summary>
    public string Source { get; }

    /// <summary>The real Chromium <c>join</c> rtpCapabilities.</summary>
    public JsonElement JoinRtpCapabilities { get; }

    /// <summary>
    /// Loads the captured session: the copy built into this assembly (from <c>tests/data/client/</c>, so the tool
    /// runs from any folder), or <paramref name="sessionFile"/>, a session captured the same way.
    /// </summary>
    public static CapturedPayloads Load(string? sessionFile = null)
    {
        if (!string.IsNullOrEmpty(sessionFile))
        {
            if (!File.Exists(sessionFile))
            {
                throw new FileNotFoundException($"--session {sessionFile} does not exist", sessionFile);
            }

            using var file = File.OpenRead(sessionFile);
            return Parse(file, Path.GetFullPath(sessionFile));
        }

        using var resource = typeof(CapturedPayloads).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from {typeof(CapturedPayloads).Assembly.GetName().Name}; see LoadTest.csproj");
        return Parse(resource, $"built in (tests/data/client/{SessionFile})");
    }

    private static CapturedPayloads Parse(Stream stream, string source)
    {
        using var document = JsonDocument.Parse(stream);
        return new CapturedPayloads(document.RootElement.Clone(), source);
    }

    public static JsonObject QueryRoom() => new() { ["method"] = "queryRoom", ["target"] = "room" };

    public JsonObject Join(string peerName)
    {
        var join = (JsonObject)_join.DeepClone();
        join["peerName"] = peerName;
        return join;
    }

    /// <summary>The captured send (alice, with DTLS parameters) or recv (bob) transport; <c>options: {}</c> means UDP and TCP.</summary>
    public JsonObject CreateTransport(bool send, uint id)
    {
        var request = (JsonObject)(send ? _sendTransport : _recvTransport).DeepClone();
        request["id"] = id;
        return request;
    }

    public JsonObject UpdateTransport(uint id)
    {
        var notification = (JsonObject)_updateTransport.DeepClone();
        notification["id"] = id;
        return notification;
    }

    public JsonObject CreateProducer(string kind, uint id, uint transportId)
    {
        var request = (JsonObject)(kind == "audio" ? _audioProducer : _videoProducer).DeepClone();
        request["id"] = id;
        request["transportId"] = transportId;
        return request;
    }

    public static JsonObject EnableConsumer(uint consumerId, uint transportId) => new()
    {
        ["method"] = "enableConsumer",
        ["target"] = "peer",
        ["id"] = consumerId,
        ["transportId"] = transportId,
        ["paused"] = false,
        ["preferredProfile"] = "default",
    };

    /// <summary>A peer notification (<c>pauseProducer</c>, <c>resumeProducer</c>, <c>leave</c>) as the client sends it.</summary>
    public static JsonObject PeerNotification(string method, uint? id = null)
    {
        var notification = new JsonObject { ["method"] = method, ["target"] = "peer", ["notification"] = true };
        if (id is { } value)
        {
            notification["id"] = value;
        }

        return notification;
    }

    private static JsonObject Sent(JsonElement session, string peer, string method, Func<JsonObject, bool>? match = null)
    {
        foreach (var entry in session.GetProperty(peer).EnumerateArray())
        {
            if (entry.GetProperty("dir").GetString() != "out")
            {
                continue;
            }

            var message = JsonNode.Parse(entry.GetProperty("msg").GetProperty("message").GetRawText())!.AsObject();
            if ((string?)message["method"] == method && (match?.Invoke(message) ?? true))
            {
                return message;
            }
        }

        throw new InvalidDataException($"the captured session has no {method} sent by {peer}");
    }
}
