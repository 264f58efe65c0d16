namespace Coordinator.Tools.LoadTest;

/// <summary>
/// Pacing for <c>--rate</c>: sequences start in groups of <c>groupSize</c> (a room's peers arriving
/// together, so that they meet), and groups are spaced <c>groupSize / rate</c> apart, whichever
/// connections take the turns. A group that comes late (every connection was busy) starts at once and
/// the schedule continues from it: lost turns are not made up in a burst, so the offered rate is never
/// exceeded, and a server that cannot keep up shows as a measured rate below it.
/// </summary>
public sealed class SequencePacer
{
    private readonly TimeProvider _time;
    private readonly int _groupSize;
    private readonly long _groupInterval;
    private readonly Lock _gate = new();
    private long? _groupStart;
    private long _turns;

    public SequencePacer(double sequencesPerSecond, int groupSize = 1, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequencesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groupSize);
        _time = time ?? TimeProvider.System;
        _groupSize = groupSize;
        _groupInterval = (long)Math.Round(_time.TimestampFrequency * groupSize / sequencesPerSecond);
    }

    /// <summary>Reserves the next start: its number (from 0, in start order) and how long to wait for it.</summary>
    public (long Turn, TimeSpan Wait) TakeTurn()
    {
        var now = _time.GetTimestamp();
        long start;
        long turn;
        lock (_gate)
        {
            turn = _turns++;
            if (turn % _groupSize == 0)
            {
                _groupStart = _groupStart is { } previous ? Math.Max(previous + _groupInterval, now) : now;
            }

            start = Math.Max(_groupStart!.Value, now);
        }

        return (turn, new TimeSpan((long)((start - now) * ((double)TimeSpan.TicksPerSecond / _time.TimestampFrequency))));
    }

    /// <summary>Takes the next turn, waits until it is due, and returns its number.</summary>
    public async Task<long> WaitTurnAsync(CancellationToken cancellationToken)
    {
        var (turn, wait) = TakeTurn();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }

        return turn;
    }
}
