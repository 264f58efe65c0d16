using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Tools.LoadTest;

/// <summary>
/// The real client messages the load uses, read at start from the captured Chromium session
/// (<c>vectors/client/chromium156-mediasoup2.6.19-session.json</c>): alice's <c>join</c> capabilities,
/// send <c>createTransport</c> (with her DTLS parameters) and audio and video <c>createProducer</c>,
/// bob's recv <c>createTransport</c> and <c>updateTransport</c>. Only the client-chosen ids change.
/// </summary>
public sealed class CapturedPayloads
{
    public const string SessionFile = "chromium156-mediasoup2.6.19-session.json";
    public const string SharedOverrideVariable = "COORDINATOR_SHARED_DIR";

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

    /// <summary>The session file the payloads came from.</summary>
    public string Source { get; }

    /// <summary>The real Chromium <c>join</c> rtpCapabilities.</summary>
    public JsonElement JoinRtpCapabilities { get; }

    /// <summary>Loads the captured session from <paramref name="vectorsDirectory"/> or the default location.</summary>
    public static CapturedPayloads Load(string? vectorsDirectory = null)
    {
        var file = Path.Combine(LocateVectors(vectorsDirectory), "client", SessionFile);
        using var stream = File.OpenRead(file);
        using var document = JsonDocument.Parse(stream);
        return new CapturedPayloads(document.RootElement.Clone(), file);
    }

    /// <summary>
    /// An explicit folder, else <c>$COORDINATOR_SHARED_DIR/vectors</c>, else <c>../shared/vectors</c> beside the
    /// repository root (the folder holding Coordinator.sln above this binary or the working directory).
    /// </summary>
    public static string LocateVectors(string? explicitDirectory)
    {
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            return Directory.Exists(explicitDirectory)
                ? Path.GetFullPath(explicitDirectory)
                : throw new DirectoryNotFoundException($"--vectors {explicitDirectory} does not exist");
        }

        var shared = Environment.GetEnvironmentVariable(SharedOverrideVariable);
        if (!string.IsNullOrEmpty(shared))
        {
            var fromVariable = Path.Combine(shared, "vectors");
            return Directory.Exists(fromVariable)
                ? Path.GetFullPath(fromVariable)
                : throw new DirectoryNotFoundException($"{SharedOverrideVariable}={shared} has no vectors/ folder");
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Coordinator.sln")))
                {
                    var beside = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "vectors"));
                    if (Directory.Exists(beside))
                    {
                        return beside;
                    }
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"vectors not found: pass --vectors <dir>, set {SharedOverrideVariable}, or run from inside the repository with ../shared beside it");
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
