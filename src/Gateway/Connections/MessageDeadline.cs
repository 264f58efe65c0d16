namespace Coordinator.Gateway.Connections;

/// <summary>
/// The time one socket's message has to arrive whole, counted from its first frame header.
/// Its timer is made and armed only when a receive would wait in the middle of a message, so
/// messages that arrive at once, nearly all of them, cost no timer.
/// </summary>
internal sealed class MessageDeadline(TimeSpan timeout, Action expired, TimeProvider clock) : IDisposable
{
    private ITimer? _timer;
    private long _started;
    private volatile bool _armed;

    /// <summary>A message began: its first frame header arrived.</summary>
    public void Start() => _started = clock.GetTimestamp();

    /// <summary>The message is not complete and the socket is about to wait for more of it.</summary>
    public void Arm()
    {
        if (_armed)
        {
            return;
        }

        var left = timeout - clock.GetElapsedTime(_started);
        _timer ??= clock.CreateTimer(_ => Expire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _armed = true;
        _timer.Change(left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The message is complete.</summary>
    public void Stop()
    {
        if (!_armed)
        {
            return;
        }

        _armed = false;
        _timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _armed = false;
        _timer?.Dispose();
    }

    private void Expire()
    {
        // A message completed just as the timer fired is not held against the socket.
        if (_armed)
        {
            expired();
        }
    }
}
