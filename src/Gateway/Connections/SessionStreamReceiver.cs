using Coordinator.Gateway.Telemetry;
using Coordinator.Grains.Interfaces;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// Turns one session's notifications into frames, in the reference's order with the answers.
/// <list type="bullet">
/// <item>It checks the numbering: a duplicate is dropped. A gap means items were lost on the way
/// (a notification queue dies with its silo), so the missing ones are asked of the Peer again
/// (<paramref name="fetchFrom"/>) while later items wait; only when the Peer no longer has them is
/// the socket closed with <see cref="CloseCodes.ReconnectAndRejoin"/>.</item>
/// <item>While a request is under way, notifications wait. The Peer's answer says which was the last
/// notification it had numbered (<see cref="PeerAnswer.NotifiedThrough"/>): every notification up to
/// it is written before the answer, every later one after it, as the reference's single thread sent
/// them. An answer whose earlier notifications are still on their way waits for them, and after
/// <see cref="AskPeerAfter"/> asks the Peer for them.</item>
/// </list>
/// Notifications arrive on the stream's delivery thread, answers on the request's; one lock orders both.
/// </summary>
internal sealed partial class SessionStreamReceiver(ISessionOutput writer, Func<long, Task<SessionStreamItem[]?>> fetchFrom, ILogger logger)
{
    /// <summary>How long an answer waits for the notifications numbered before it before asking the Peer for them.</summary>
    internal static readonly TimeSpan AskPeerAfter = TimeSpan.FromSeconds(1);

    /// <summary>How long an answer waits for them in all; they are lost if they take longer.</summary>
    private static readonly TimeSpan NotificationsBeforeAnswerTimeout = TimeSpan.FromSeconds(5);

    private const int MaxAttemptsWithoutProgress = 3;

    /// <summary>How many items may wait behind a gap; a flood beyond it gives up on the session.</summary>
    private const int MaxItemsBehindGap = 4096;

    private readonly object _gate = new();
    private readonly List<SessionStreamItem> _held = [];
    private readonly SortedList<long, SessionStreamItem> _behindGap = [];
    private long _lastSeq;
    private bool _requestUnderWay;
    private PendingAnswer? _pending;
    private Task _asking = Task.CompletedTask;

    public void OnItem(SessionStreamItem item)
    {
        GatewayMetrics.Arrived(item.PublishedAtTicks);
        lock (_gate)
        {
            AcceptLocked(item);
        }
    }

    /// <summary>
    /// Asks the Peer for every item after the last one received, in case a lost queue swallowed the
    /// session's latest items (no later item would reveal that gap).
    /// </summary>
    public void CheckForLostItems()
    {
        lock (_gate)
        {
            AskPeerLocked(why: null);
        }
    }

    private void AcceptLocked(SessionStreamItem item)
    {
        if (item.Seq <= _lastSeq)
        {
            LogDuplicate(item.Seq, _lastSeq);
            return;
        }

        if (item.Seq != _lastSeq + 1)
        {
            if (_behindGap.Count >= MaxItemsBehindGap)
            {
                CloseLocked($"notifications lost (expected seq {_lastSeq + 1}, got {item.Seq}): rejoin");
                return;
            }

            _behindGap.TryAdd(item.Seq, item);
            AskPeerLocked($"seq {item.Seq} arrived after {_lastSeq}");
            return;
        }

        PlaceLocked(item);
        while (_behindGap.Count > 0 && _behindGap.Keys[0] <= _lastSeq + 1)
        {
            var next = _behindGap.Values[0];
            _behindGap.RemoveAt(0);
            if (next.Seq == _lastSeq + 1)
            {
                PlaceLocked(next);
            }
        }
    }

    /// <summary>Places the next item in order: written now, after the pending answer, or before it.</summary>
    private void PlaceLocked(SessionStreamItem item)
    {
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

    /// <summary>Starts asking the Peer for the items after the last one placed, unless that is under way.</summary>
    private void AskPeerLocked(string? why)
    {
        if (!_asking.IsCompleted || writer.Closing)
        {
            return;
        }

        if (why is not null)
        {
            LogAskingPeer(_lastSeq + 1, why);
        }

        _asking = AskPeerAsync();
    }

    /// <summary>
    /// Feeds what the Peer sends again through the same checks as the stream's items (later copies
    /// from the stream are then duplicates). Items that arrived during the call may open a new gap:
    /// it is asked about again, as long as each answer fills some of it.
    /// </summary>
    private async Task AskPeerAsync()
    {
        var attemptsWithoutProgress = 0;
        while (true)
        {
            long from;
            lock (_gate)
            {
                from = _lastSeq + 1;
            }

            SessionStreamItem[]? items;
            try
            {
                items = await fetchFrom(from);
            }
            catch (Exception exception)
            {
                LogAskFailed(exception.Message);
                items = null;
            }

            lock (_gate)
            {
                if (items is null)
                {
                    CloseLocked($"notifications lost (expected seq {from}): rejoin");
                    return;
                }

                // The Peer's items not yet received, neither placed nor waiting behind the gap.
                var before = _lastSeq;
                var recovered = items.Count(item => item.Seq > before && !_behindGap.ContainsKey(item.Seq));
                foreach (var item in items)
                {
                    AcceptLocked(item);
                }

                if (recovered > 0)
                {
                    GatewayMetrics.NotificationsRecovered(recovered);
                }

                if (_behindGap.Count == 0)
                {
                    return;
                }

                // No progress: the items behind the gap were numbered after the Peer answered (the
                // call raced with them), so ask again; a Peer that keeps not having them lost them.
                attemptsWithoutProgress = _lastSeq == before ? attemptsWithoutProgress + 1 : 0;
                if (attemptsWithoutProgress == MaxAttemptsWithoutProgress)
                {
                    CloseLocked($"notifications lost (expected seq {_lastSeq + 1}, got {_behindGap.Keys[0]}): rejoin");
                    return;
                }
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
            pending.Timeout = new Timer(static state => ((SessionStreamReceiver)state!).AnswerWaited(), this, AskPeerAfter, Timeout.InfiniteTimeSpan);
            return pending.Written.Task;
        }
    }

    /// <summary>The pending answer waited <see cref="AskPeerAfter"/>: ask the Peer; if it still waits at the deadline, give up.</summary>
    private void AnswerWaited()
    {
        lock (_gate)
        {
            if (_pending is not { } pending)
            {
                return;
            }

            if (!pending.AskedPeer)
            {
                pending.AskedPeer = true;
                pending.Timeout?.Change(NotificationsBeforeAnswerTimeout - AskPeerAfter, Timeout.InfiniteTimeSpan);
                AskPeerLocked($"an answer waits for seq {pending.NotifiedThrough}");
                return;
            }

            LogAnswerTimedOut(pending.NotifiedThrough, _lastSeq);
            CloseLocked($"notifications lost (expected seq {_lastSeq + 1} before an answer): rejoin");
        }
    }

    /// <summary>Closes the socket: the client has missed notifications and must rejoin to resynchronise.</summary>
    private void CloseLocked(string reason)
    {
        LogClosingOnLoss(reason);
        if (_pending is { } pending)
        {
            pending.Timeout?.Dispose();
            _pending = null;
            pending.Written.TrySetResult();
        }

        writer.Close(CloseCodes.ReconnectAndRejoin, reason);
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

        public bool AskedPeer { get; set; }

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Duplicate notification {Seq} dropped (last was {LastSeq})")]
    private partial void LogDuplicate(long seq, long lastSeq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications may be lost ({Why}): asking the Peer for them again from seq {FromSeq}")]
    private partial void LogAskingPeer(long fromSeq, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask the Peer for its notifications again: {Reason}")]
    private partial void LogAskFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An answer waited in vain for notifications up to seq {NotifiedThrough} (last seen {LastSeq})")]
    private partial void LogAnswerTimedOut(long notifiedThrough, long lastSeq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the socket so the client rejoins: {Reason}")]
    private partial void LogClosingOnLoss(string reason);
}
