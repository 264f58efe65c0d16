using System.Diagnostics;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// A token bucket for one socket's messages: <c>burst</c> at once, refilled at <c>perSecond</c>.
/// Refilled lazily from the clock, so idle sockets cost nothing.
/// </summary>
internal sealed class MessageRateLimiter(double perSecond, double burst)
{
    private readonly double _capacity = burst;
    private double _tokens = burst;
    private long _last = Stopwatch.GetTimestamp();

    public bool TryTake()
    {
        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond));
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
