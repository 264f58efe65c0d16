using System.Net.WebSockets;
using Coordinator.Gateway.Telemetry;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// The only writer of one WebSocket: frames and the closing handshake go through one queue, so
/// concurrent producers (request handling, the notification stream) never interleave writes.
/// The queue is bounded in frames and in bytes. A client too far behind to stay within both is
/// closed with <see cref="CloseCodes.ReconnectAndRejoin"/>: what is still queued is dropped and the
/// close frame goes next, so the client gets it as soon as it reads again. Only a client that reads
/// nothing for <see cref="CloseHandshakeTimeout"/> is cut off without it.
/// </summary>
internal sealed partial class SocketWriter(WebSocket socket, int maxPendingFrames, long maxPendingBytes, ILogger logger) : ISessionOutput
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly Queue<Outbound.Frame> _frames = new();

    /// <summary>Released once per item queued (and on completion); the loop tolerates extra releases.</summary>
    private readonly SemaphoreSlim _ready = new(0);

    private readonly CancellationTokenSource _receiveDeadline = new();

    /// <summary>Frames queued or being written, and their bytes: the memory this socket holds.</summary>
    private int _pendingFrames;
    private long _pendingBytes;

    private Outbound.Close? _close;
    private bool _closeJumpsQueue;
    private bool _completed;

    /// <summary>Set once a close has been queued; later frames are dropped.</summary>
    public bool Closing { get; private set; }

    /// <summary>Cancelled <see cref="CloseHandshakeTimeout"/> after a close was queued, in case the client never answers it.</summary>
    public CancellationToken ReceiveAborted => _receiveDeadline.Token;

    /// <summary>
    /// Queues a frame. A frame that would take the queue over either bound closes the socket
    /// instead (4001), except that one frame of any size is taken into an empty queue.
    /// </summary>
    public void Send(byte[] frame, long publishedAtTicks = 0)
    {
        int frames;
        long bytes;
        lock (_gate)
        {
            if (Closing)
            {
                return;
            }

            var fits = _pendingFrames < maxPendingFrames && (_pendingBytes == 0 || _pendingBytes + frame.Length <= maxPendingBytes);
            if (fits)
            {
                _pendingFrames++;
                _pendingBytes += frame.Length;
                _frames.Enqueue(new Outbound.Frame(frame, publishedAtTicks));
                _ready.Release();
                return;
            }

            (frames, bytes) = (_pendingFrames, _pendingBytes);
        }

        LogFellBehind(frames, bytes);
        Close(CloseCodes.ReconnectAndRejoin, "client is not reading its socket", dropQueued: true);
    }

    /// <summary>
    /// Queues the close; the first close wins. It goes after everything already queued, or, with
    /// <paramref name="dropQueued"/>, instead of it (the frame being written, if any, is finished first).
    /// </summary>
    void ISessionOutput.Close(int code, string reason) => Close(code, reason);

    public void Close(int code, string reason, bool dropQueued = false)
    {
        lock (_gate)
        {
            if (Closing)
            {
                return;
            }

            Closing = true;
            _close = new Outbound.Close(code, reason);
            if (dropQueued)
            {
                _closeJumpsQueue = true;
                foreach (var frame in _frames)
                {
                    _pendingBytes -= frame.Utf8.Length;
                }

                _pendingFrames -= _frames.Count;
                _frames.Clear();
            }

            _ready.Release();
        }

        _receiveDeadline.CancelAfter(CloseHandshakeTimeout);
    }

    /// <summary>Nothing more will be queued: the loop ends once the queue is written.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            _ready.Release();
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _ready.WaitAsync(cancellationToken);
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                return;
            }

            Outbound? next;
            lock (_gate)
            {
                next = _close is { } close && (_closeJumpsQueue || _frames.Count == 0) ? close
                    : _frames.TryDequeue(out var frame) ? frame
                    : null;
                if (next is null && _completed)
                {
                    return;
                }
            }

            switch (next)
            {
                case Outbound.Frame frame:
                    await WriteAsync(frame, cancellationToken);
                    break;
                case Outbound.Close close:
                    await socket.CloseOutputAsync((WebSocketCloseStatus)close.Code, Truncate(close.Reason), cancellationToken);
                    return;
            }
        }
    }

    private async Task WriteAsync(Outbound.Frame frame, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendAsync(frame.Utf8, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            GatewayMetrics.Delivered(frame.PublishedAtTicks);
        }
        finally
        {
            // Counted until written: a frame being written is still held in memory.
            lock (_gate)
            {
                _pendingFrames--;
                _pendingBytes -= frame.Utf8.Length;
            }
        }
    }

    /// <summary>A close reason must fit in 123 bytes of UTF-8.</summary>
    private static string Truncate(string reason)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(reason);
        return bytes.Length <= 123 ? reason : System.Text.Encoding.UTF8.GetString(bytes, 0, 120) + "...";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A client is not reading its socket ({Frames} frames, {Bytes} bytes waiting): closing it with 4001")]
    private partial void LogFellBehind(int frames, long bytes);
}
