namespace Coordinator.Gateway.Connections;

/// <summary>
/// How many frames one socket had dropped (unparsable, unknown, before join, over the message
/// rate), counted in windows that begin with the first drop after the previous window ended. A
/// socket that goes over the limit within one window is closed: it is not a client that erred once.
/// </summary>
public sealed class InvalidFrameLimit(int maxPerWindow, TimeSpan window, TimeProvider clock)
{
    private long _windowStart;
    private int _count;

    /// <summary>Counts one dropped frame; true when it is one too many for the current window.</summary>
    public bool Exceeded()
    {
        var now = clock.GetTimestamp();
        if (_count == 0 || clock.GetElapsedTime(_windowStart, now) >= window)
        {
            _windowStart = now;
            _count = 0;
        }

        return ++_count > maxPerWindow;
    }
}
