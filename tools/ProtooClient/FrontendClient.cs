using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Tools.Protoo;

/// <summary>
/// A signaling frontend's one connection to the gateway (docs/frontend-api.md): it opens peer
/// sessions and speaks for each through <see cref="FrontendSessionClient"/>.
/// </summary>
public sealed class FrontendClient : IAsyncDisposable
{
    public const string SubProtocol = "coordinator-frontend";

    private FrontendClient(ProtooClient connection) => Connection = connection;

    /// <summary>The underlying connection: every frame it received, its close.</summary>
    public ProtooClient Connection { get; }

    /// <summary>Connects to <c>/frontend</c> of the node at <paramref name="node"/> (ws://host:port), with an optional token.</summary>
    public static async Task<FrontendClient> ConnectAsync(Uri node, string? token = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var uri = new Uri(node, "/frontend" + (token is null ? "" : $"?token={Uri.EscapeDataString(token)}"));
        return new FrontendClient(await ProtooClient.ConnectAsync(uri, "frontend", configure, SubProtocol));
    }

    /// <summary>Sends <c>openSession</c> and returns its response (ok or not).</summary>
    public Task<JsonElement> OpenSessionRawAsync(object data) => Connection.RequestAsync("openSession", data);

    /// <summary>Opens session <paramref name="session"/> for a peer; the open must succeed.</summary>
    public async Task<FrontendSessionClient> OpenSessionAsync(string session, string roomId, string peerName, params string[] grants)
    {
        var response = await OpenSessionRawAsync(new { session, roomId, peerName, grants = grants.Length == 0 ? ["publish", "subscribe"] : grants });
        if (!response.TryGetProperty("ok", out var ok) || !ok.GetBoolean())
        {
            throw new InvalidOperationException($"openSession {session} failed: {response}");
        }

        return new FrontendSessionClient(this, session, peerName);
    }

    public Task<JsonElement> CloseSessionAsync(string session) => Connection.RequestAsync("closeSession", new { session });

    /// <summary><c>queryRoom</c> for a room, without a session.</summary>
    public Task<JsonElement> QueryRoomAsync(string roomId) =>
        Connection.SendRawRequestAsync(new JsonObject
        {
            ["method"] = "mediasoup-request",
            ["roomId"] = roomId,
            ["data"] = new JsonObject { ["method"] = "queryRoom", ["target"] = "room" },
        });

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>One session of a <see cref="FrontendClient"/>: a peer, as a browser socket would be.</summary>
public sealed class FrontendSessionClient(FrontendClient frontend, string session, string peerName)
{
    public string Session { get; } = session;

    public string PeerName { get; } = peerName;

    public FrontendClient Frontend { get; } = frontend;

    public Task<JsonElement> MediasoupAsync(object request) => Frontend.Connection.RequestAsync("mediasoup-request", request, Session);

    public Task<JsonElement> JoinAsync(JsonElement rtpCapabilities, object? appData = null) =>
        MediasoupAsync(ProtooClient.JoinRequest(PeerName, rtpCapabilities, appData));

    public Task NotifyAsync(object notification) => Frontend.Connection.NotifyAsync("mediasoup-notification", notification, Session);

    /// <summary>This session's frames: its answers, its notifications and its <c>sessionClosed</c>.</summary>
    public IReadOnlyList<JsonElement> Frames =>
        [.. Frontend.Connection.Frames.Where(frame => frame.TryGetProperty("session", out var s) && s.GetString() == Session)];

    /// <summary>The mediasoup notifications this session received (the <c>data</c> of each).</summary>
    public IReadOnlyList<JsonElement> Notifications =>
        [.. Frames.Where(frame => ProtooClient.IsNotification(frame) && frame.GetProperty("method").GetString() == "mediasoup-notification").Select(frame => frame.GetProperty("data"))];

    public async Task<JsonElement> WaitForNotificationAsync(string method, Func<JsonElement, bool>? match = null)
    {
        JsonElement found = default;
        await ProtooClient.WaitUntil(
            () =>
            {
                found = Notifications.FirstOrDefault(n => n.GetProperty("method").GetString() == method && (match?.Invoke(n) ?? true));
                return found.ValueKind != JsonValueKind.Undefined;
            },
            $"session {Session} to receive {method}");
        return found;
    }

    /// <summary>Waits for this session's <c>sessionClosed</c> and returns its <c>data</c> ({code, reason}).</summary>
    public async Task<JsonElement> WaitForSessionClosedAsync()
    {
        await Frontend.Connection.WaitForFramesAsync(IsMyClose, 1);
        return Frontend.Connection.Frames.First(IsMyClose).GetProperty("data");
    }

    private bool IsMyClose(JsonElement frame) =>
        ProtooClient.IsNotification(frame) && frame.GetProperty("method").GetString() == "sessionClosed"
        && frame.TryGetProperty("session", out var s) && s.GetString() == Session;
}
