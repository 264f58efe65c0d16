using Coordinator.Gateway.Telemetry;
using Coordinator.Grains.Interfaces;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// Turns one session's notifications into frames, in the reference's order with the answers.
/// <list type="bullet">
/// <item>It checks the numbering: a duplicate is dropped; a gap means the client has diverged, so
/// the socket is closed with <see cref="CloseCodes.ReconnectAndRejoin"/>.</item>
/// <item>While a request is under way, notifications wait. The Peer's answer says which was the last
/// notification it had numbered (<see cref="PeerAnswer.NotifiedThrough"/>): every notification up to
/// it is written before the answer, every later one after it, as the reference's single thread sent
/// them. An answer whose earlier notifications are still on their way waits for them.</item>
/// </list>
/// Notifications arrive on the stream's delivery thread, answers on the request's; one lock orders both.
/// </summary>
internal sealed partial class SessionStreamReceiver(ISessionOutput writer, ILogger logger)
{
    /// <summary>How long an answer waits for notifications numbered before it; they are lost if they take longer.</summary>
    private static readonly TimeSpan NotificationsBeforeAnswerTimeout = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly List<SessionStreamItem> _held = [];
    private long _lastSeq;
    private bool _requestUnderWay;
    private PendingAnswer? _pending;

    public void OnItem(SessionStreamItem item)
    {
        GatewayMetrics.Arrived(item.PublishedAtTicks);
        lock (_gate)
        {
            if (item.Seq <= _lastSeq)
            {
                LogDuplicate(item.Seq, _lastSeq);
                return;
            }

            if (item.Seq != _lastSeq + 1)
            {
                var expected = _lastSeq + 1;
                LogGap(expected, item.Seq);
                _lastSeq = item.Seq;
                writer.Close(CloseCodes.ReconnectAndRejoin, $"notifications lost (expected seq {expected}, got {item.Seq}): rejoin");
                return;
            }

            _lastSeq = item.Seq;
            if (_pending is { } pending && item.Seq <= pending.NotifiedThrough)
            {
                Emit(item);
                if (item.Seq == pending.NotifiedThrough)
                {
                    WriteAnswerLocked(pending);
                }
            }
            else if (_requestUnderWay)
            {
                _held.Add(item);
            }
            else
            {
                Emit(item);
            }
        }
    }

    /// <summary>A request is on its way to the cluster: hold notifications until its answer is placed.</summary>
    public void RequestStarted()
    {
        lock (_gate)
        {
            _requestUnderWay = true;
        }
    }

    /// <summary>
    /// Writes an answer after every notification numbered up to <paramref name="notifiedThrough"/>
    /// (null: an answer that follows no notification, such as one made by the gateway or the Room),
    /// then what was held back after it. Completes once the answer is queued on the socket, so the
    /// socket's next message is handled after it.
    /// </summary>
    public Task AnswerAsync(byte[] frame, long? notifiedThrough)
    {
        lock (_gate)
        {
            var pending = new PendingAnswer(frame, notifiedThrough ?? 0);
            foreach (var item in _held.Where(item => item.Seq <= pending.NotifiedThrough))
            {
                Emit(item);
            }

            _held.RemoveAll(item => item.Seq <= pending.NotifiedThrough);
            if (_lastSeq >= pending.NotifiedThrough)
            {
                WriteAnswerLocked(pending);
                return Task.CompletedTask;
            }

            _pending = pending;
            pending.Timeout = new Timer(static state => ((SessionStreamReceiver)state!).AnswerTimedOut(), this, NotificationsBeforeAnswerTimeout, Timeout.InfiniteTimeSpan);
            return pending.Written.Task;
        }
    }

    private void AnswerTimedOut()
    {
        lock (_gate)
        {
            if (_pending is not { } pending)
            {
                return;
            }

            LogAnswerTimedOut(pending.NotifiedThrough, _lastSeq);
            _pending = null;
            pending.Written.TrySetResult();
            writer.Close(CloseCodes.ReconnectAndRejoin, $"notifications lost (expected seq {_lastSeq + 1} before an answer): rejoin");
        }
    }

    private void WriteAnswerLocked(PendingAnswer answer)
    {
        answer.Timeout?.Dispose();
        _pending = null;
        _requestUnderWay = false;
        Send(answer.Frame, publishedAtTicks: 0);
        answer.Written.TrySetResult();
        foreach (var item in _held)
        {
            Emit(item);
        }

        _held.Clear();
    }

    private void Emit(SessionStreamItem item)
    {
        if (item.Notification is { } notification)
        {
            Send(ProtooFrames.Notification(notification, item.Seq), item.PublishedAtTicks);
        }

        if (item.End is { } end)
        {
            writer.Close(end.CloseCode, end.Reason);
        }
    }

    private void Send(byte[] frame, long publishedAtTicks) => writer.Send(frame, publishedAtTicks);

    private sealed class PendingAnswer(byte[] frame, long notifiedThrough)
    {
        public byte[] Frame { get; } = frame;

        public long NotifiedThrough { get; } = notifiedThrough;

        public Timer? Timeout { get; set; }

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Duplicate notification {Seq} dropped (last was {LastSeq})")]
    private partial void LogDuplicate(long seq, long lastSeq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification gap: expected seq {Expected}, got {Seq}; closing the socket so the client rejoins")]
    private partial void LogGap(long expected, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An answer waited in vain for notifications up to seq {NotifiedThrough} (last seen {LastSeq}); closing the socket so the client rejoins")]
    private partial void LogAnswerTimedOut(long notifiedThrough, long lastSeq);
}
