using Coordinator.Gateway.Telemetry;
using Coordinator.Grains.Interfaces;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// Turns a session's notification stream into frames. It checks the numbering (a duplicate is
/// dropped; a gap means the client has diverged, so the socket is closed with
/// <see cref="CloseCodes.ReconnectAndRejoin"/>) and can hold items while a join response is
/// still on its way, so the client never sees a notification before that response.
/// </summary>
internal sealed partial class SessionStreamReceiver(ILogger logger)
{
    private readonly object _gate = new();
    private readonly List<PeerStreamItem> _held = [];
    private SocketWriter? _writer;
    private long _lastSeq;
    private bool _holding;

    public void Attach(SocketWriter writer) => _writer = writer;

    public Task OnItem(PeerStreamItem item)
    {
        GatewayMetrics.Arrived(item.PublishedAtTicks);
        lock (_gate)
        {
            if (item.Seq <= _lastSeq)
            {
                LogDuplicate(item.Seq, _lastSeq);
                return Task.CompletedTask;
            }

            if (item.Seq != _lastSeq + 1)
            {
                var expected = _lastSeq + 1;
                LogGap(expected, item.Seq);
                _lastSeq = item.Seq;
                _writer!.Close(CloseCodes.ReconnectAndRejoin, $"notifications lost (expected seq {expected}, got {item.Seq}): rejoin");
                return Task.CompletedTask;
            }

            _lastSeq = item.Seq;
            if (_holding)
            {
                _held.Add(item);
            }
            else
            {
                Emit(item);
            }
        }

        return Task.CompletedTask;
    }

    public void Hold()
    {
        lock (_gate)
        {
            _holding = true;
        }
    }

    /// <summary>Writes what was held, in order, after whatever the caller already queued.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _holding = false;
            foreach (var item in _held)
            {
                Emit(item);
            }

            _held.Clear();
        }
    }

    private void Emit(PeerStreamItem item)
    {
        if (item.Notification is { } notification)
        {
            if (!_writer!.TrySend(ProtooFrames.Notification(notification, item.Seq), item.PublishedAtTicks) && !_writer.Closing)
            {
                _writer.Close(CloseCodes.ReconnectAndRejoin, "client is not reading its socket");
            }
        }

        if (item.End is { } end)
        {
            _writer!.Close(end.CloseCode, end.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Duplicate notification {Seq} dropped (last was {LastSeq})")]
    private partial void LogDuplicate(long seq, long lastSeq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification gap: expected seq {Expected}, got {Seq}; closing the socket so the client rejoins")]
    private partial void LogGap(long expected, long seq);
}
