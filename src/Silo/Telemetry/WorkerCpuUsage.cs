using System.Diagnostics;

namespace Coordinator.Silo.Telemetry;

/// <summary>
/// The CPU use of worker processes in percent of one core, for the admin API: over the window
/// since the previous look at that process, or since it started at the first look. A look within
/// <see cref="MinimumWindow"/> of the previous one gets the previous answer, so several
/// dashboards polling at once do not shrink the window to noise.
/// </summary>
internal sealed class WorkerCpuUsage
{
    private static readonly TimeSpan MinimumWindow = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Sample> _samples = [];

    /// <summary>The CPU use of <paramref name="pid"/> and the window it was measured over; nulls once the process is gone.</summary>
    public (double? Percent, double? WindowSeconds) Measure(int pid)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_samples.TryGetValue(pid, out var previous) && Stopwatch.GetElapsedTime(previous.Timestamp, now) < MinimumWindow)
            {
                return (previous.Percent, previous.WindowSeconds);
            }

            if (WorkerProcessStats.CpuSeconds(pid) is not { } cpu)
            {
                _samples.Remove(pid);
                return (null, null);
            }

            var (used, window) = previous is null
                ? (cpu, WorkerProcessStats.AgeSeconds(pid) ?? 0)
                : (cpu - previous.CpuSeconds, Stopwatch.GetElapsedTime(previous.Timestamp, now).TotalSeconds);
            double? percent = window > 0 ? Math.Round(100 * used / window, 1) : null;
            double? windowSeconds = window > 0 ? Math.Round(window, 1) : null;
            _samples[pid] = new Sample(cpu, now, percent, windowSeconds);
            return (percent, windowSeconds);
        }
    }

    /// <summary>Drops the samples of processes no longer listed.</summary>
    public void KeepOnly(IReadOnlyCollection<int> pids)
    {
        lock (_gate)
        {
            foreach (var pid in _samples.Keys.Where(pid => !pids.Contains(pid)).ToArray())
            {
                _samples.Remove(pid);
            }
        }
    }

    private sealed record Sample(double CpuSeconds, long Timestamp, double? Percent, double? WindowSeconds);
}
