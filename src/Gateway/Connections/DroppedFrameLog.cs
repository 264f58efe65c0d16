namespace Coordinator.Gateway.Connections;

/// <summary>
/// One socket's warnings about dropped frames, so a flood cannot flood the log: a drop is logged
/// as it happens when no other was logged in the last <see cref="SummaryInterval"/>; the ones after
/// it are counted and summarised in one line at most once per interval, and once more when the
/// socket ends.
/// </summary>
public sealed partial class DroppedFrameLog(ILogger logger, TimeProvider clock)
{
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(10);

    private bool _loggedAny;
    private long _lastLineAt;
    private int _unlogged;
    private string _lastReason = "";

    public void Dropped(string reason)
    {
        var now = clock.GetTimestamp();
        var intervalPassed = _loggedAny && clock.GetElapsedTime(_lastLineAt, now) >= SummaryInterval;
        if (_unlogged == 0 && (!_loggedAny || intervalPassed))
        {
            LogDropped(reason);
            _loggedAny = true;
            _lastLineAt = now;
            return;
        }

        _unlogged++;
        _lastReason = reason;
        if (intervalPassed)
        {
            Summarise(now);
        }
    }

    /// <summary>The socket ended: the drops not logged yet are summarised.</summary>
    public void SocketEnded()
    {
        if (_unlogged > 0)
        {
            Summarise(clock.GetTimestamp());
        }
    }

    private void Summarise(long now)
    {
        LogSummary(_unlogged, Math.Round(clock.GetElapsedTime(_lastLineAt, now).TotalSeconds, 1), _lastReason);
        _unlogged = 0;
        _lastLineAt = now;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Frame dropped: {Reason}")]
    private partial void LogDropped(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} invalid frames in the last {Seconds} s (last reason: {Reason})")]
    private partial void LogSummary(int count, double seconds, string reason);
}
