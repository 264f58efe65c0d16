using System.Diagnostics;
using Coordinator.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// Gives memory back to the system when the node has gone quiet after a busy period. A quiet node
/// allocates too little for the garbage collector to run again, so the objects of closed sockets,
/// their Peer grains and closed rooms stay in the heap, and the memory the collector committed for
/// the busy period stays committed. Once the node has allocated almost nothing for
/// <see cref="QuietPeriod"/> while its resident memory is <see cref="GatewayOptions.ReleaseMemoryAboveMiB"/>
/// above what it was after the last release, one full, compacting collection in aggressive mode frees
/// those objects and decommits what the heap no longer needs. It never runs while the node is busy,
/// so it costs the request path nothing. It also runs once as soon as the node has started: starting
/// leaves garbage behind (the configuration, the service graph, Orleans' manifests and generated code),
/// which an idle node would otherwise keep committed for minutes, until its allocations trigger a collection.
/// </summary>
/// <remarks>
/// The growth is measured on resident memory, not on the collector's committed bytes: on a loaded
/// machine the collector runs during the busy period, and its committed figure can end below the
/// threshold while the resident memory it keeps (its own bookkeeping included) is twice as far up.
/// </remarks>
internal sealed partial class MemoryRelease(IOptions<GatewayOptions> options, IHostApplicationLifetime lifetime, ILogger<MemoryRelease> logger) : BackgroundService
{
    private const long Mebibyte = 1024 * 1024;

    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Long enough for the closing to be over: empty rooms close 5 s after their last peer left
    /// (<c>Rooms:EmptyRoomGracePeriod</c>), and their grains go with them.
    /// </summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(10);

    /// <summary>An idle node allocates a few KiB a second (timers, keep-alives); a busy one hundreds of MiB.</summary>
    private const double QuietBytesPerSecond = Mebibyte;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var threshold = options.Value.ReleaseMemoryAboveMiB * Mebibyte;
        if (threshold <= 0)
        {
            return;
        }

        await StartedAsync(stoppingToken);
        var residentAfterRelease = Release(Environment.WorkingSet, afterStart: true);
        using var timer = new PeriodicTimer(CheckInterval);
        var allocated = GC.GetTotalAllocatedBytes();
        var checkedAt = Stopwatch.GetTimestamp();
        var quietSince = checkedAt;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var (allocatedNow, now) = (GC.GetTotalAllocatedBytes(), Stopwatch.GetTimestamp());
            var rate = (allocatedNow - allocated) / Stopwatch.GetElapsedTime(checkedAt, now).TotalSeconds;
            (allocated, checkedAt) = (allocatedNow, now);
            if (rate > QuietBytesPerSecond)
            {
                quietSince = now;
            }

            // A busy node is only looked at for the Debug line: reading memory figures costs a little.
            var quietFor = Stopwatch.GetElapsedTime(quietSince, now);
            var debug = logger.IsEnabled(LogLevel.Debug);
            if (quietFor < QuietPeriod && !debug)
            {
                continue;
            }

            var resident = Environment.WorkingSet;
            if (debug)
            {
                LogChecked(rate / 1024, resident / Mebibyte, (resident - residentAfterRelease) / Mebibyte, GC.GetGCMemoryInfo().TotalCommittedBytes / Mebibyte, quietFor.TotalSeconds);
            }

            if (quietFor >= QuietPeriod && resident - residentAfterRelease >= threshold)
            {
                residentAfterRelease = Release(resident, afterStart: false);
            }
        }
    }

    private async Task StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    /// <summary>Collects everything, decommits what is free; returns the resident memory after it.</summary>
    private long Release(long residentBefore, bool afterStart)
    {
        var started = Stopwatch.GetTimestamp();
        var committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo();
        var residentAfter = Environment.WorkingSet;
        LogReleased(
            afterStart ? "The node has started" : "The node is quiet",
            residentBefore / Mebibyte,
            residentAfter / Mebibyte,
            committedBefore / Mebibyte,
            after.TotalCommittedBytes / Mebibyte,
            after.HeapSizeBytes / Mebibyte,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return residentAfter;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Allocating {KiBPerSecond:0} KiB/s; resident {Resident} MiB, {Growth} MiB more than after the last release; GC committed {Committed} MiB; quiet for {QuietSeconds:0} s")]
    private partial void LogChecked(double kiBPerSecond, long resident, long growth, long committed, double quietSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Occasion}: memory released (resident {Before} → {After} MiB, GC committed {CommittedBefore} → {CommittedAfter} MiB, heap {Heap} MiB, {Milliseconds:0} ms)")]
    private partial void LogReleased(string occasion, long before, long after, long committedBefore, long committedAfter, long heap, double milliseconds);
}
