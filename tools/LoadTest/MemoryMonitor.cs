using System.Diagnostics;

namespace Coordinator.Tools.LoadTest;

/// <summary>
/// The server's memory at one moment, in KiB: the <c>--server-pid</c> process itself (VmRSS, RssAnon) and
/// its descendants' VmRSS summed (for Coordinator and the reference server, their mediasoup workers).
/// </summary>
/// <param name="Seconds">Since the run began.</param>
/// <param name="Phase">The run's phase when the sample was taken (e.g. "warm-up", "measured", "storm", "after").</param>
public sealed record MemoryPoint(double Seconds, string Phase, long RssKiB, long? RssAnonKiB, long ChildrenRssKiB, int Children)
{
    /// <summary>The process and its children now, or null when the process is gone or /proc cannot be read.</summary>
    public static MemoryPoint? Read(int pid, double seconds, string phase)
    {
        if (ProcessMemory.Sample(pid) is not { } process)
        {
            return null;
        }

        long children = 0;
        var count = 0;
        foreach (var child in ProcessTree.Members(pid).Where(entry => entry.Pid != pid))
        {
            if (ProcessMemory.Sample(child.Pid) is { } sample)
            {
                children += sample.RssKiB;
                count++;
            }
        }

        return new MemoryPoint(Math.Round(seconds, 3), phase, process.RssKiB, process.RssAnonKiB, children, count);
    }
}

/// <summary>
/// Samples a server's memory (<see cref="MemoryPoint"/>) every second in the background, and whenever a
/// phase boundary asks for one, so that a peak between two boundaries is seen within a second.
/// </summary>
public sealed class MemoryMonitor : IAsyncDisposable
{
    private readonly int _pid;
    private readonly long _runStart;
    private readonly List<MemoryPoint> _points = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private string _phase;

    /// <summary>Takes a first sample at once (null <see cref="First"/> when the process cannot be read), then one a second.</summary>
    public MemoryMonitor(int pid, string phase, long runStart, TimeSpan? interval = null)
    {
        _pid = pid;
        _runStart = runStart;
        _phase = phase;
        First = SampleNow();
        _loop = LoopAsync(interval ?? TimeSpan.FromSeconds(1));
    }

    public int Pid => _pid;

    /// <summary>The sample taken when the monitor started.</summary>
    public MemoryPoint? First { get; }

    /// <summary>The phase the next samples are labelled with.</summary>
    public string Phase
    {
        get => Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, value);
    }

    /// <summary>Every sample so far, in order.</summary>
    public IReadOnlyList<MemoryPoint> Points
    {
        get
        {
            lock (_points)
            {
                return [.. _points];
            }
        }
    }

    /// <summary>Takes and keeps a sample now, labelled with the current phase; null when the process cannot be read.</summary>
    public MemoryPoint? SampleNow()
    {
        var point = MemoryPoint.Read(_pid, Stopwatch.GetElapsedTime(_runStart).TotalSeconds, Phase);
        if (point is not null)
        {
            lock (_points)
            {
                _points.Add(point);
            }
        }

        return point;
    }

    /// <summary>Switches to <paramref name="phase"/> and samples at once: the boundary's own value.</summary>
    public MemoryPoint? Enter(string phase)
    {
        Phase = phase;
        return SampleNow();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                SampleNow();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
