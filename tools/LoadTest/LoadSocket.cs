using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Tools.LoadTest;

/// <summary>
/// One protoo 3 connection as the load tool needs it: requests matched to their responses by id, and
/// every notification handed to one callback as it arrives, then dropped. It keeps no frame: a storm run
/// delivers gigabytes of notifications, and a client that kept them would measure its own memory.
/// </summary>
internal sealed class LoadSocket : IPeerChannel
{

    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Action<JsonElement, long> _onNotification;
    private readonly TimeSpan _timeout;
    private long _nextId;

    private LoadSocket(Action<JsonElement, long> onNotification, TimeSpan timeout)
    {
        _onNotification = onNotification;
        _timeout = timeout;
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    int? IPeerChannel.CloseCode => (int?)_socket.CloseStatus;

    /// <summary>Completes when the socket has closed, by either side, or failed.</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Opens the WebSocket (sub-protocol <c>protoo</c>) within <paramref name="timeout"/>, which also bounds
    /// every request and the closing handshake. <paramref name="onNotification"/> runs on the receive loop
    /// with the frame and its arrival time (Stopwatch ticks); the frame is valid during the call only.
    /// </summary>
    public static async Task<LoadSocket> ConnectAsync(Uri uri, Action<JsonElement, long> onNotification, TimeSpan timeout)
    {
        var socket = new LoadSocket(onNotification, timeout);
        socket._socket.Options.AddSubProtocol("protoo");
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await socket._socket.ConnectAsync(uri, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            socket._socket.Dispose();
            throw new TimeoutException();
        }
        catch
        {
            socket._socket.Dispose();
            throw;
        }

        _ = socket.ReceiveLoopAsync();
        return socket;
    }

    /// <summary>Sends a protoo request and returns its response frame; throws <see cref="TimeoutException"/> when none comes in time.</summary>
    public async Task<JsonElement> RequestAsync(string method, JsonNode data)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = response;
        try
        {
            if (_closed.Task.IsCompleted)
            {
                throw new WebSocketException("the socket is closed");
            }

            await SendAsync(new JsonObject { ["request"] = true, ["id"] = id, ["method"] = method, ["data"] = data });
            return await response.Task.WaitAsync(_timeout);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public Task NotifyAsync(string method, JsonNode data) =>
        SendAsync(new JsonObject { ["notification"] = true, ["method"] = method, ["data"] = data });

    /// <summary>Starts the closing handshake (if the socket is still open) and waits for its end.</summary>
    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var deadline = new CancellationTokenSource(_timeout);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", deadline.Token);
        }

        await _closed.Task.WaitAsync(_timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await CloseAsync();
            }
            catch (Exception exception) when (exception is WebSocketException or TimeoutException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }

    private async Task SendAsync(JsonObject message)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await _sendLock.WaitAsync();
        try
        {
            using var deadline = new CancellationTokenSource(_timeout);
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            await WebSocketReceiver.ReceiveAllAsync(_socket, Dispatch);
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _closed.TrySetResult();

            // As protoo-client does: a request still waiting when the socket closes fails at once.
            foreach (var (_, pending) in _pending)
            {
                pending.TrySetException(new WebSocketException($"the socket closed before the response ({_socket.CloseStatus} {_socket.CloseStatusDescription})"));
            }
        }
    }

    /// <summary>A response completes its request (with a copy that outlives the buffer); a notification goes to the callback.</summary>
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
            }
            else if (IsTrue(root, "notification"))
            {
                _onNotification(root, arrival);
            }
        }
    }

    private static bool IsTrue(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;
}
