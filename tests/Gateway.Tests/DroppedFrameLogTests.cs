using Coordinator.Gateway.Connections;
using Microsoft.Extensions.Logging;

namespace Coordinator.Gateway.Tests;

/// <summary>The timing of dropped-frame summaries and of the invalid-frame window, on a clock the test moves.</summary>
public sealed class DroppedFrameLogTests
{
    private readonly ManualClock _clock = new();
    private readonly LogCapture _log = new();

    [Fact]
    public void The_first_drop_is_logged_and_later_ones_at_most_once_per_ten_seconds()
    {
        var dropped = new DroppedFrameLog(_log.CreateLogger("test"), _clock);

        dropped.Dropped("first");
        for (var second = 1; second <= 9; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            dropped.Dropped($"at {second} s");
        }

        var afterNineSeconds = Lines();
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        dropped.Dropped("at 10.5 s");
        _clock.Advance(TimeSpan.FromSeconds(60));
        dropped.Dropped("after a quiet minute");
        dropped.SocketEnded();

        Assert.Equal(["Frame dropped: first"], afterNineSeconds);
        Assert.Equal(
            [
                "Frame dropped: first",
                "Dropped 10 invalid frames in the last 10.5 s (last reason: at 10.5 s)",
                "Frame dropped: after a quiet minute",
            ],
            Lines());
    }

    [Fact]
    public void Drops_not_logged_yet_are_summarised_when_the_socket_ends()
    {
        var dropped = new DroppedFrameLog(_log.CreateLogger("test"), _clock);

        dropped.Dropped("one");
        _clock.Advance(TimeSpan.FromSeconds(2));
        dropped.Dropped("two");
        dropped.Dropped("three");
        dropped.SocketEnded();

        Assert.Equal(["Frame dropped: one", "Dropped 2 invalid frames in the last 2 s (last reason: three)"], Lines());
    }

    [Fact]
    public void The_invalid_frame_limit_counts_per_window()
    {
        var limit = new InvalidFrameLimit(maxPerWindow: 3, TimeSpan.FromSeconds(10), _clock);

        var firstWindow = Enumerable.Range(0, 4).Select(_ => limit.Exceeded()).ToArray();
        _clock.Advance(TimeSpan.FromSeconds(10));
        var nextWindow = Enumerable.Range(0, 3).Select(_ => limit.Exceeded()).ToArray();

        Assert.Equal([false, false, false, true], firstWindow);
        Assert.Equal([false, false, false], nextWindow);
    }

    private string[] Lines() => [.. _log.Entries.Where(entry => entry.Level == LogLevel.Warning).Select(entry => entry.Message)];

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
