using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Coordinator.Tools.LoadTest;

/// <summary>
/// A signaling frontend's one WebSocket to the gateway (docs/frontend-api.md), as the load tool needs it:
/// it opens peer sessions (<see cref="FrontendSessionChannel"/>), matches responses to requests by id,
/// and hands each notification to its session as it arrives, keeping no frame. Frames go out through
/// one writer loop, in the order they were queued, so concurrent sessions never wait on a send lock.
/// </summary>
internal sealed class FrontendLink : IAsyncDisposable
{
    public const string SubProtocol = "coordinator-frontend";


    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<string, FrontendSessionChannel> _sessions = new(StringComparer.Ordinal);
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _timeout;
    private long _nextId;
    private long _nextSession;

    private FrontendLink(TimeSpan timeout) => _timeout = timeout;

    /// <summary>Completes when the connection has closed, by either side, or failed.</summary>
    public Task Closed => _closed.Task;

    public int? CloseCode => (int?)_socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    /// <summary>Sessions open now (opened and not yet ended by either side).</summary>
    public int OpenSessions => _sessions.Count;

    /// <summary>
    /// Connects to <c>/frontend</c> of the node at <paramref name="node"/> (ws://host:port) within
    /// <paramref name="timeout"/>, which also bounds every request; <paramref name="token"/> is needed
    /// outside development mode.
    /// </summary>
    public static async Task<FrontendLink> ConnectAsync(Uri node, string? token, TimeSpan timeout)
    {
        var link = new FrontendLink(timeout);
        link._socket.Options.AddSubProtocol(SubProtocol);
        var uri = new Uri(node, "/frontend" + (token is null ? "" : $"?token={Uri.EscapeDataString(token)}"));
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await link._socket.ConnectAsync(uri, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            link._socket.Dispose();
            throw new TimeoutException();
        }
        catch
        {
            link._socket.Dispose();
            throw;
        }

        _ = link.ReceiveLoopAsync();
        _ = link.WriteLoopAsync();
        return link;
    }

    /// <summary>Opens a session for the peer with the grants publish and subscribe; throws when the gateway refuses it.</summary>
    public async Task<IPeerChannel> OpenSessionAsync(string roomId, string peerName, Action<JsonElement, long> onNotification)
    {
        var id = $"s{Interlocked.Increment(ref _nextSession)}";
        var session = new FrontendSessionChannel(this, id, onNotification);

        // Known before openSession goes out: the session's first notification may follow its answer at once.
        _sessions[id] = session;
        try
        {
            var response = await RequestAsync(new JsonObject
            {
                ["method"] = "openSession",
                ["data"] = new JsonObject { ["session"] = id, ["roomId"] = roomId, ["peerName"] = peerName, ["grants"] = new JsonArray("publish", "subscribe") },
            });
            EnsureOk("openSession", response);
            return session;
        }
        catch
        {
            Forget(session);
            throw;
        }
    }

    /// <summary>Sends <paramref name="envelope"/> as a request (it gets <c>request:true</c> and an id) and returns its response frame.</summary>
    public async Task<JsonElement> RequestAsync(JsonObject envelope)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = response;
        try
        {
            if (_closed.Task.IsCompleted)
            {
                throw new WebSocketException("the frontend connection is closed");
            }

            envelope["request"] = true;
            envelope["id"] = id;
            Send(envelope);
            return await response.Task.WaitAsync(_timeout);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Queues a frame for the writer loop.</summary>
    public void Send(JsonObject frame)
    {
        if (!_outbox.Writer.TryWrite(JsonSerializer.SerializeToUtf8Bytes(frame)))
        {
            throw new WebSocketException("the frontend connection is closed");
        }
    }

    /// <summary>Ends session <paramref name="session"/> with <c>closeSession</c>; returns once the gateway answered (its peer has left).</summary>
    public async Task CloseSessionAsync(FrontendSessionChannel session)
    {
        try
        {
            EnsureOk("closeSession", await RequestAsync(new JsonObject { ["method"] = "closeSession", ["data"] = new JsonObject { ["session"] = session.Id } }));
        }
        finally
        {
            Forget(session);
        }
    }

    /// <summary>Stops routing frames to a session that has ended.</summary>
    public void Forget(FrontendSessionChannel session) =>
        _sessions.TryRemove(new KeyValuePair<string, FrontendSessionChannel>(session.Id, session));

    /// <summary>Closes the connection (every session still open ends at the gateway) and waits for the end of the closing handshake.</summary>
    public async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var deadline = new CancellationTokenSource(_timeout);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", deadline.Token);
                await _closed.Task.WaitAsync(_timeout);
            }
            catch (Exception exception) when (exception is WebSocketException or TimeoutException or OperationCanceledException or InvalidOperationException)
            {
            }
        }

        _socket.Dispose();
    }

    private static void EnsureOk(string method, JsonElement response)
    {
        if (!(response.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True))
        {
            var code = response.TryGetProperty("errorCode", out var errorCode) ? errorCode.ToString() : "?";
            var reason = response.TryGetProperty("errorReason", out var errorReason) ? errorReason.ToString() : response.ToString();
            throw new InvalidOperationException($"{method}: error {code} {reason}");
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync())
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or InvalidOperationException or ObjectDisposedException)
        {
            // A send that fails ends the connection: its receive loop then fails every request still waiting.
            _outbox.Writer.TryComplete();
            _socket.Abort();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            await WebSocketReceiver.ReceiveAllAsync(_socket, Dispatch);
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _outbox.Writer.TryComplete();
            _closed.TrySetResult();
            foreach (var (_, pending) in _pending)
            {
                pending.TrySetException(new WebSocketException($"the frontend connection closed before the response ({_socket.CloseStatus} {_socket.CloseStatusDescription})"));
            }

            // Every session ends with the connection, as a browser socket would.
            foreach (var (_, session) in _sessions)
            {
                session.Ended(CloseCode, $"the frontend connection closed: {CloseDescription}");
            }

            _sessions.Clear();
        }
    }

    /// <summary>
    /// On the receive loop: a response completes its request (with a copy that outlives the buffer); a
    /// notification goes to its session; <c>sessionClosed</c> ends that session.
    /// </summary>
    private void Dispatch(ReadOnlyMemory<byte> frame, long arrival)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (IsTrue(root, "response"))
            {
                if (root.TryGetProperty("id", out var id) && id.TryGetInt64(out var value) && _pending.TryGetValue(value, out var pending))
                {
                    pending.TrySetResult(root.Clone());
                }

                return;
            }

            if (!IsTrue(root, "notification")
                || !root.TryGetProperty("session", out var sessionId) || sessionId.ValueKind != JsonValueKind.String
                || !_sessions.TryGetValue(sessionId.GetString()!, out var session))
            {
                return;
            }

            if (root.TryGetProperty("method", out var method) && method.ValueEquals("sessionClosed"))
            {
                var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
                var code = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : (int?)null;
                var reason = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("reason", out var r) ? r.ToString() : null;
                Forget(session);
                session.Ended(code, reason);
                return;
            }

            session.Deliver(root, arrival);
        }
    }

    private static bool IsTrue(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;
}
