using System.Net.WebSockets;
using System.Threading.Channels;
using Coordinator.Gateway.Telemetry;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// The only writer of one WebSocket: frames and the closing handshake go through one bounded
/// queue, so concurrent producers (request handling, the notification stream) never interleave
/// writes. A client that stops reading is disconnected instead of growing the queue forever.
/// </summary>
internal sealed class SocketWriter(WebSocket socket, int capacity) : ISessionOutput
{
    private readonly Channel<Outbound> _queue = Channel.CreateBounded<Outbound>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _receiveDeadline = new();

    /// <summary>Set once a close has been queued; later frames are dropped.</summary>
    public bool Closing { get; private set; }

    /// <summary>Cancelled a few seconds after a close was queued, in case the client never answers it.</summary>
    public CancellationToken ReceiveAborted => _receiveDeadline.Token;

    public bool TrySend(byte[] frame, long publishedAtTicks = 0) => !Closing && _queue.Writer.TryWrite(new Outbound.Frame(frame, publishedAtTicks));

    /// <summary>Queues the close after everything already queued; the first close wins.</summary>
    public void Close(int code, string reason)
    {
        lock (_queue)
        {
            if (Closing)
            {
                return;
            }

            Closing = true;
        }

        _receiveDeadline.CancelAfter(CloseHandshakeTimeout);

        // A full queue cannot take the close: the client is not reading, so abort instead.
        if (!_queue.Writer.TryWrite(new Outbound.Close(code, reason)))
        {
            socket.Abort();
        }

        _queue.Writer.TryComplete();
    }

    public void Complete() => _queue.Writer.TryComplete();

    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var item in _queue.Reader.ReadAllAsync(cancellationToken))
        {
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                return;
            }

            switch (item)
            {
                case Outbound.Frame frame:
                    await socket.SendAsync(frame.Utf8, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                    GatewayMetrics.Delivered(frame.PublishedAtTicks);
                    break;
                case Outbound.Close close:
                    await socket.CloseOutputAsync((WebSocketCloseStatus)close.Code, Truncate(close.Reason), cancellationToken);
                    return;
            }
        }
    }

    /// <summary>A close reason must fit in 123 bytes of UTF-8.</summary>
    private static string Truncate(string reason)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(reason);
        return bytes.Length <= 123 ? reason : System.Text.Encoding.UTF8.GetString(bytes, 0, 120) + "...";
    }
}
