namespace Coordinator.Tools.LoadTest;

/// <summary>
/// Pacing for <c>--rate</c>: sequence starts are spaced one interval apart, whichever connection
/// takes them. A turn that comes late (every connection was busy) starts at once and the schedule
/// continues from it: lost turns are not made up in a burst, so the offered rate is never exceeded,
/// and a server that cannot keep up shows as a measured rate below it.
/// </summary>
public sealed class SequencePacer
{
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly Lock _gate = new();
    private long? _lastStart;

    public SequencePacer(double sequencesPerSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequencesPerSecond);
        _time = time ?? TimeProvider.System;
        _interval = (long)Math.Round(_time.TimestampFrequency / sequencesPerSecond);
    }

    /// <summary>Reserves the next start and returns how long to wait for it.</summary>
    public TimeSpan TakeTurn()
    {
        var now = _time.GetTimestamp();
        long start;
        lock (_gate)
        {
            start = _lastStart is { } last ? Math.Max(last + _interval, now) : now;
            _lastStart = start;
        }

        return new TimeSpan((long)((start - now) * ((double)TimeSpan.TicksPerSecond / _time.TimestampFrequency)));
    }

    /// <summary>Takes the next turn and waits until it is due.</summary>
    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        var wait = TakeTurn();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }
}
