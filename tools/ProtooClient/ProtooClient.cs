using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Tools.Protoo;

/// <summary>A minimal protoo 3 client over a real WebSocket, recording every frame it receives.</summary>
public sealed class ProtooClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<JsonElement> _frames = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private long _nextId = 1;

    private ProtooClient(string peerName) => PeerName = peerName;

    /// <summary>Every frame received with its arrival time (Stopwatch ticks), for latency measurements.</summary>
    public event Action<JsonElement, long>? FrameReceived;

    public string PeerName { get; }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    /// <summary>Completes when the socket has closed (by either side).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Every frame received, in arrival order (responses and notifications).</summary>
    public IReadOnlyList<JsonElement> Frames
    {
        get
        {
            lock (_frames)
            {
                return [.. _frames];
            }
        }
    }

    /// <summary>The mediasoup notifications received (the <c>data</c> of each protoo notification).</summary>
    public IReadOnlyList<JsonElement> Notifications => [.. Frames.Where(IsNotification).Select(f => f.GetProperty("data"))];

    public static async Task<ProtooClient> ConnectAsync(Uri uri, string peerName, Action<ClientWebSocketOptions>? configure = null, string subProtocol = "protoo")
    {
        var client = new ProtooClient(peerName);
        client._socket.Options.AddSubProtocol(subProtocol);
        configure?.Invoke(client._socket.Options);
        await client._socket.ConnectAsync(uri, CancellationToken.None);
        _ = client.ReceiveLoopAsync();
        return client;
    }

    public static Task<ProtooClient> ConnectAsync(Uri node, string roomId, string peerName) =>
        ConnectAsync(new Uri(node, $"/?roomId={Uri.EscapeDataString(roomId)}&peerName={Uri.EscapeDataString(peerName)}"), peerName);

    /// <summary>A request; with <paramref name="session"/>, a frontend connection's request for that session (docs/frontend-api.md).</summary>
    public Task<JsonElement> RequestAsync(string method, object data, string? session = null) =>
        SendRequestAsync(method, data is JsonNode node ? node : JsonSerializer.SerializeToNode(data)!, session);

    public Task<JsonElement> MediasoupAsync(object request) => RequestAsync("mediasoup-request", request);

    public Task<JsonElement> QueryRoomAsync() => MediasoupAsync(new { method = "queryRoom", target = "room" });

    public Task<JsonElement> JoinAsync(JsonElement rtpCapabilities, string? peerName = null, object? appData = null) =>
        MediasoupAsync(JoinRequest(peerName ?? PeerName, rtpCapabilities, appData));

    public static JsonObject JoinRequest(string peerName, JsonElement rtpCapabilities, object? appData = null)
    {
        var join = new JsonObject
        {
            ["method"] = "join",
            ["target"] = "room",
            ["peerName"] = peerName,
            ["rtpCapabilities"] = JsonNode.Parse(rtpCapabilities.GetRawText()),
            ["spy"] = false,
        };
        if (appData is not null)
        {
            join["appData"] = JsonSerializer.SerializeToNode(appData);
        }

        return join;
    }

    public Task NotifyAsync(string method, object data, string? session = null)
    {
        var notification = new JsonObject { ["notification"] = true, ["method"] = method, ["data"] = JsonSerializer.SerializeToNode(data) };
        if (session is not null)
        {
            notification["session"] = session;
        }

        return SendAsync(notification.ToJsonString());
    }

    public async Task SendAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task SendBinaryAsync(byte[] bytes)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task<JsonElement> WaitForNotificationAsync(string method, Func<JsonElement, bool>? match = null)
    {
        JsonElement found = default;
        await WaitUntil(
            () =>
            {
                found = Notifications.FirstOrDefault(n => n.GetProperty("method").GetString() == method && (match?.Invoke(n) ?? true));
                return found.ValueKind != JsonValueKind.Undefined;
            },
            $"{PeerName} to receive {method}");
        return found;
    }

    public Task WaitForFramesAsync(Func<JsonElement, bool> match, int count) =>
        WaitUntil(() => Frames.Count(match) >= count, $"{PeerName} to receive {count} matching frames");

    public async Task<WebSocketCloseStatus?> WaitForCloseAsync()
    {
        await Within(_closed.Task, $"{PeerName}'s socket to be closed by the server");
        return _socket.CloseStatus;
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }

        await Within(_closed.Task, $"{PeerName}'s close handshake");
    }

    public static bool IsNotification(JsonElement frame) => frame.TryGetProperty("notification", out var n) && n.ValueKind == JsonValueKind.True;

    public static bool IsResponse(JsonElement frame) => frame.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.True;

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await CloseAsync();
            }
            catch (Exception exception) when (exception is WebSocketException or TimeoutException)
            {
            }
        }

        _socket.Dispose();
    }

    /// <summary>Waits for <paramref name="condition"/>, at most the client's timeout (10 s).</summary>
    public static async Task WaitUntil(Func<bool> condition, string awaited)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {Timeout.TotalSeconds:0} s waiting for: {awaited}");
            }

            await Task.Delay(10);
        }
    }

    private static async Task Within(Task task, string awaited)
    {
        if (await Task.WhenAny(task, Task.Delay(Timeout)) != task)
        {
            throw new TimeoutException($"Timed out after {Timeout.TotalSeconds:0} s waiting for: {awaited}");
        }
    }

    private Task<JsonElement> SendRequestAsync(string method, JsonNode data, string? session)
    {
        var request = new JsonObject { ["method"] = method, ["data"] = data };
        if (session is not null)
        {
            request["session"] = session;
        }

        return SendRawRequestAsync(request);
    }

    /// <summary>Sends <paramref name="envelope"/> as a request (it gets <c>request:true</c> and an id) and returns its response.</summary>
    public async Task<JsonElement> SendRawRequestAsync(JsonObject envelope)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = response;
        if (_closed.Task.IsCompleted && _pending.TryRemove(id, out _))
        {
            throw new WebSocketException($"{PeerName}'s socket is closed");
        }

        envelope["request"] = true;
        envelope["id"] = id;
        await SendAsync(envelope.ToJsonString());
        await Within(response.Task, $"{PeerName}'s response to {envelope["method"]} #{id}");
        return await response.Task;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frame = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                FrameReceived?.Invoke(frame, System.Diagnostics.Stopwatch.GetTimestamp());
                lock (_frames)
                {
                    _frames.Add(frame);
                }

                if (IsResponse(frame) && _pending.TryRemove(frame.GetProperty("id").GetInt64(), out var pending))
                {
                    pending.TrySetResult(frame);
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _closed.TrySetResult();

            // Like protoo-client: a request still waiting when the socket closes fails at once.
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var pending))
                {
                    pending.TrySetException(new WebSocketException($"{PeerName}'s socket closed before the response ({_socket.CloseStatus} {_socket.CloseStatusDescription})"));
                }
            }
        }
    }
}
