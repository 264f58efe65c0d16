using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Coordinator.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Silo.Workers;

/// <summary>
/// Client side of one worker's control channel: netstring-framed JSON requests out, responses,
/// events and log lines in (docs/worker-channel.md#messages). Replies and event
/// data are handed up as <see cref="JsonElement"/>, the only JSON type that crosses a boundary in
/// this project (docs/architecture.md).
/// <list type="bullet">
/// <item>One reader loop decodes frames in arrival order. Events are dispatched synchronously on
/// that loop, so every event a request causes has been handled before its reply completes the
/// request's task (whose continuations run asynchronously).</item>
/// <item>One writer loop sends the frames queued by <see cref="RequestAsync(string, object?, object?, CancellationToken)"/>,
/// coalescing what is queued into one write.</item>
/// <item>Request ids come from a <c>uint</c> counter starting at 1 (0 is skipped on wrap). A request
/// that gets no reply within its timeout is removed; a late reply is then ignored.</item>
/// <item>On EOF, a socket error, a framing error or <see cref="Close"/>: every pending request
/// fails with <see cref="WorkerClosedException"/> and <see cref="Closed"/> is raised once.</item>
/// </list>
/// </summary>
public sealed class WorkerChannel : IAsyncDisposable
{
    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly RecentLines? _problems;
    private readonly NetstringDecoder _decoder = new();
    private readonly ConcurrentDictionary<uint, PendingRequest> _pending = new();
    private readonly Channel<byte[]> _writes = Channel.CreateUnbounded<byte[]>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly Lock _handlersGate = new();
    private readonly Dictionary<uint, Action<WorkerEvent>[]> _handlers = [];
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _readLoop;
    private readonly Task _writeLoop;
    private uint _lastRequestId;
    private int _closing;
    private string? _writeFailure;
    private WorkerEvent? _awaitingBinary;

    /// <param name="workerId">Used in log lines and exception messages.</param>
    /// <param name="socket">The parent's connected end of the worker's channel; the channel owns it.</param>
    /// <param name="requestTimeout">Default per-request timeout.</param>
    /// <param name="logger">Receives the worker's log lines and channel diagnostics.</param>
    public WorkerChannel(string workerId, Socket socket, TimeSpan requestTimeout, ILogger? logger = null)
        : this(workerId, socket, requestTimeout, logger, null)
    {
    }

    internal WorkerChannel(string workerId, Socket socket, TimeSpan requestTimeout, ILogger? logger, RecentLines? problems)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestTimeout, TimeSpan.Zero);
        WorkerId = workerId;
        _socket = socket;
        RequestTimeout = requestTimeout;
        _logger = logger ?? NullLogger.Instance;
        _problems = problems;
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Raised once when the channel closes, with the reason.</summary>
    public event EventHandler<string>? Closed;

    public string WorkerId { get; }

    public TimeSpan RequestTimeout { get; }

    public bool IsClosed => Volatile.Read(ref _closing) != 0;

    /// <summary>Completes with the close reason once the channel has closed.</summary>
    public Task<string> WhenClosed => _closed.Task;

    /// <summary>Completes when the reader loop has ended (everything the worker wrote has been processed).</summary>
    public Task Completion => _readLoop;

    /// <summary>Requests sent and not yet answered.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>
    /// Sends <c>{"id":N,"method":…,"internal":…,"data":…}</c> and returns the reply's <c>data</c>
    /// (an object, or an array for the stats methods), using the default <see cref="RequestTimeout"/>.
    /// <paramref name="internal"/> and <paramref name="data"/> are serialised with System.Text.Json
    /// straight into the frame (camelCase property names, null properties left out;
    /// <see cref="WorkerInternal"/>, records, anonymous objects and JsonElement all work) and
    /// omitted when null.
    /// </summary>
    /// <exception cref="WorkerRequestException">The worker rejected it; the message is its reason.</exception>
    /// <exception cref="WorkerRequestTimeoutException">No reply in time.</exception>
    /// <exception cref="WorkerClosedException">The channel is or became closed.</exception>
    /// <exception cref="RequestTooBigException">The request exceeds 65 536 bytes; nothing was sent.</exception>
    public Task<JsonElement> RequestAsync(
        string method, object? @internal = null, object? data = null, CancellationToken cancellationToken = default) =>
        RequestAsync(method, @internal, data, RequestTimeout, cancellationToken);

    /// <summary>Like <see cref="RequestAsync(string, object?, object?, CancellationToken)"/> with an explicit timeout.</summary>
    public async Task<JsonElement> RequestAsync(
        string method, object? @internal, object? data, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ThrowIfClosed();

        var pending = new PendingRequest(method);
        uint id;
        do
        {
            id = NextRequestId();
        }
        while (!_pending.TryAdd(id, pending));

        byte[] frame;
        try
        {
            frame = SerializeFrame(id, method, @internal, data);
        }
        catch
        {
            _pending.TryRemove(id, out _);
            throw;
        }

        // Close() marks the channel closed before failing what is pending: either it saw our entry
        // or we see the mark here.
        if (IsClosed || !_writes.Writer.TryWrite(frame))
        {
            _pending.TryRemove(id, out _);
            ThrowIfClosed();
            throw new WorkerClosedException(WorkerId, Volatile.Read(ref _writeFailure) ?? "closing");
        }

        try
        {
            return await pending.Completion.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!pending.Completion.Task.IsCompleted)
        {
            _pending.TryRemove(id, out _);
            throw new WorkerRequestTimeoutException(WorkerId, method, id, timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _pending.TryRemove(id, out _);
            throw;
        }
    }

    /// <summary>
    /// Routes events whose <c>targetId</c> is <paramref name="targetId"/> to <paramref name="handler"/>,
    /// until the returned subscription is disposed. Handlers run on the reader loop: keep them short
    /// and non-blocking. Exceptions they throw are logged.
    /// </summary>
    public IDisposable Subscribe(uint targetId, Action<WorkerEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handlersGate)
        {
            _handlers[targetId] = _handlers.TryGetValue(targetId, out var existing) ? [.. existing, handler] : [handler];
        }

        return new Subscription(this, targetId, handler);
    }

    /// <summary>
    /// Closes the channel: the worker sees EOF and exits (docs/worker-channel.md#the-process). Pending requests fail
    /// with <see cref="WorkerClosedException"/>. Idempotent.
    /// </summary>
    public void Close(string reason = "closed by the host") => CloseCore(reason);

    public async ValueTask DisposeAsync()
    {
        Close("disposed");
        await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false);
    }

    private uint NextRequestId()
    {
        while (true)
        {
            var id = Interlocked.Increment(ref _lastRequestId);
            if (id != 0)
            {
                return id;
            }
        }
    }

    /// <summary>
    /// The request's netstring frame. The JSON goes into the thread's reused buffer, so the frame is
    /// the only allocation of its size (a producer's RTP parameters take several growth copies otherwise).
    /// </summary>
    private static byte[] SerializeFrame(uint id, string method, object? @internal, object? data) =>
        ReusableJsonWriter.WriteObject(
            default,
            writer =>
            {
                // The root is always an object built here: a non-object root would crash the worker.
                writer.WriteNumber("id", id);
                writer.WriteString("method", method);
                if (@internal is not null)
                {
                    writer.WritePropertyName("internal");
                    JsonSerializer.Serialize(writer, @internal, @internal.GetType(), SerializerOptions);
                }

                if (data is not null)
                {
                    writer.WritePropertyName("data");
                    JsonSerializer.Serialize(writer, data, data.GetType(), SerializerOptions);
                }
            },
            static json => NetstringFramer.Encode(json.Span));

    private void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw new WorkerClosedException(WorkerId, _closed.Task.IsCompleted ? _closed.Task.Result : "closing");
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var frames = new List<byte[]>();
        var reason = "EOF on the channel (the worker exited or closed it)";
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                frames.Clear();
                NetstringFormatException? framingError = null;
                try
                {
                    _decoder.Feed(buffer.AsSpan(0, read), frames);
                }
                catch (NetstringFormatException e)
                {
                    framingError = e;
                }

                foreach (var frame in frames)
                {
                    HandleFrame(frame);
                }

                if (framingError is not null)
                {
                    reason = $"protocol error from the worker: {framingError.Message}";
                    _logger.LogError("mediasoup-worker {WorkerId}: {Reason}; closing the channel", WorkerId, reason);
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            reason = IsClosed ? "closed by the host" : $"channel read failed: {e.Message}";
        }
        catch (Exception e)
        {
            reason = $"channel reader failed: {e.Message}";
            _logger.LogError(e, "mediasoup-worker {WorkerId}: channel reader failed", WorkerId);
        }

        CloseCore(reason);
    }

    private async Task WriteLoopAsync()
    {
        var reader = _writes.Reader;
        var batch = new List<byte[]>();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                var total = 0;
                while (total < 64 * 1024 && reader.TryRead(out var frame))
                {
                    batch.Add(frame);
                    total += frame.Length;
                }

                if (batch.Count == 1)
                {
                    await SendAllAsync(batch[0]).ConfigureAwait(false);
                    continue;
                }

                var joined = ArrayPool<byte>.Shared.Rent(total);
                try
                {
                    var offset = 0;
                    foreach (var frame in batch)
                    {
                        frame.CopyTo(joined, offset);
                        offset += frame.Length;
                    }

                    await SendAllAsync(joined.AsMemory(0, total)).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(joined);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            await StopWritingAsync(IsClosed ? "closed by the host" : $"channel write failed: {e.Message}").ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "mediasoup-worker {WorkerId}: channel writer failed", WorkerId);
            CloseCore($"channel writer failed: {e.Message}");
        }
    }

    private static readonly TimeSpan ReaderGraceAfterWriteFailure = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A write fails when the worker has gone, often having just written why (a configuration
    /// error, then exit). Closing the socket now would drop that unread text, so stop writing and
    /// let the reader take everything up to the EOF that follows; close anyway if it does not come.
    /// </summary>
    private async Task StopWritingAsync(string reason)
    {
        Volatile.Write(ref _writeFailure, reason);
        _writes.Writer.TryComplete();
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        try
        {
            await _readLoop.WaitAsync(ReaderGraceAfterWriteFailure).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The reader did not see the end: the peer stopped reading but keeps the channel open.
        }

        CloseCore(reason);
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    private void HandleFrame(byte[] payload)
    {
        if (_awaitingBinary is { } binaryEvent)
        {
            _awaitingBinary = null;
            Dispatch(binaryEvent with { Binary = payload });
            return;
        }

        if (payload.Length == 0)
        {
            _logger.LogDebug("mediasoup-worker {WorkerId}: empty frame", WorkerId);
            return;
        }

        switch (payload[0])
        {
            case (byte)'{':
                HandleJson(payload);
                break;
            case (byte)'D':
                _logger.LogDebug("mediasoup-worker {WorkerId}: {Line}", WorkerId, LogText(payload));
                break;
            case (byte)'W':
                {
                    var line = LogText(payload);
                    _problems?.Add($"W{line}");
                    _logger.LogWarning("mediasoup-worker {WorkerId}: {Line}", WorkerId, line);
                    break;
                }

            case (byte)'E':
                {
                    var line = LogText(payload);
                    _problems?.Add($"E{line}");
                    _logger.LogError("mediasoup-worker {WorkerId}: {Line}", WorkerId, line);
                    break;
                }

            default:
                _logger.LogWarning(
                    "mediasoup-worker {WorkerId}: unexpected frame ({Length} bytes) starting with 0x{FirstByte:x2}",
                    WorkerId,
                    payload.Length,
                    payload[0]);
                break;
        }
    }

    private static string LogText(byte[] payload) => Encoding.UTF8.GetString(payload, 1, payload.Length - 1);

    private void HandleJson(byte[] payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            _logger.LogWarning("mediasoup-worker {WorkerId}: invalid JSON frame ({Length} bytes): {Error}", WorkerId, payload.Length, e.Message);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.TryGetProperty("id", out var idElement) && idElement.TryGetUInt32(out var id) &&
                (root.TryGetProperty("accepted", out _) || root.TryGetProperty("rejected", out _)))
            {
                HandleResponse(id, root);
            }
            else if (root.TryGetProperty("targetId", out var targetElement) && targetElement.TryGetUInt32(out var targetId) &&
                     root.TryGetProperty("event", out var nameElement) && nameElement.ValueKind == JsonValueKind.String)
            {
                JsonElement? data = root.TryGetProperty("data", out var dataElement) ? dataElement.Clone() : null;
                var workerEvent = new WorkerEvent(targetId, nameElement.GetString()!, data);
                if (root.TryGetProperty("binary", out var binary) && binary.ValueKind == JsonValueKind.True)
                {
                    _awaitingBinary = workerEvent;
                }
                else
                {
                    Dispatch(workerEvent);
                }
            }
            else
            {
                _logger.LogWarning(
                    "mediasoup-worker {WorkerId}: JSON frame is neither a response nor an event: {Json}",
                    WorkerId,
                    Encoding.UTF8.GetString(payload, 0, Math.Min(payload.Length, 512)));
            }
        }
    }

    private void HandleResponse(uint id, JsonElement root)
    {
        if (!_pending.TryRemove(id, out var pending))
        {
            _logger.LogDebug("mediasoup-worker {WorkerId}: ignoring a reply to request {RequestId}, which is not pending (timed out?)", WorkerId, id);
            return;
        }

        if (root.TryGetProperty("accepted", out var accepted) && accepted.ValueKind == JsonValueKind.True)
        {
            pending.Completion.TrySetResult(root.TryGetProperty("data", out var data) ? data.Clone() : EmptyObject);
            return;
        }

        var reason = root.TryGetProperty("reason", out var reasonElement) && reasonElement.ValueKind == JsonValueKind.String
            ? reasonElement.GetString()!
            : "request rejected (no reason given)";
        pending.Completion.TrySetException(new WorkerRequestException(WorkerId, pending.Method, reason));
    }

    private void Dispatch(WorkerEvent workerEvent)
    {
        Action<WorkerEvent>[]? handlers;
        lock (_handlersGate)
        {
            _handlers.TryGetValue(workerEvent.TargetId, out handlers);
        }

        if (handlers is null)
        {
            _logger.LogDebug(
                "mediasoup-worker {WorkerId}: event '{Event}' for unknown target {TargetId}",
                WorkerId,
                workerEvent.Name,
                workerEvent.TargetId);
            return;
        }

        foreach (var handler in handlers)
        {
            try
            {
                handler(workerEvent);
            }
            catch (Exception e)
            {
                _logger.LogError(
                    e,
                    "mediasoup-worker {WorkerId}: handler for event '{Event}' of {TargetId} failed",
                    WorkerId,
                    workerEvent.Name,
                    workerEvent.TargetId);
            }
        }
    }

    private void Unsubscribe(uint targetId, Action<WorkerEvent> handler)
    {
        lock (_handlersGate)
        {
            if (!_handlers.TryGetValue(targetId, out var existing))
            {
                return;
            }

            var index = Array.IndexOf(existing, handler);
            if (index < 0)
            {
                return;
            }

            if (existing.Length == 1)
            {
                _handlers.Remove(targetId);
            }
            else
            {
                _handlers[targetId] = [.. existing[..index], .. existing[(index + 1)..]];
            }
        }
    }

    private void CloseCore(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _writes.Writer.TryComplete();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        _socket.Dispose();
        _closed.TrySetResult(reason);

        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
            {
                pending.Completion.TrySetException(new WorkerClosedException(WorkerId, reason));
            }
        }

        _logger.LogDebug("mediasoup-worker {WorkerId}: channel closed: {Reason}", WorkerId, reason);
        try
        {
            Closed?.Invoke(this, reason);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "mediasoup-worker {WorkerId}: a Closed handler failed", WorkerId);
        }
    }

    private sealed class PendingRequest(string method)
    {
        public string Method { get; } = method;

        public TaskCompletionSource<JsonElement> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Subscription(WorkerChannel channel, uint targetId, Action<WorkerEvent> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                channel.Unsubscribe(targetId, handler);
            }
        }
    }
}
