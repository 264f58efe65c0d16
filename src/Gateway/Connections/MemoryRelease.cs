using System.Diagnostics;
using Coordinator.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// Gives memory back to the system when the node has gone quiet after a busy period. A quiet node
/// allocates too little for the garbage collector to run again, so the objects of closed sockets,
/// their Peer grains and closed rooms stay in the heap, and the memory the collector committed for
/// the busy period stays committed. Once the node has allocated almost nothing for
/// <see cref="QuietPeriod"/> while the collector holds <see cref="GatewayOptions.ReleaseMemoryAboveMiB"/>
/// more than after the last release, one full, compacting collection in aggressive mode frees those
/// objects and decommits what the heap no longer needs. It never runs while the node is busy, so it
/// costs the request path nothing.
/// </summary>
internal sealed partial class MemoryRelease(IOptions<GatewayOptions> options, ILogger<MemoryRelease> logger) : BackgroundService
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

        using var timer = new PeriodicTimer(CheckInterval);
        var committedAfterRelease = GC.GetGCMemoryInfo().TotalCommittedBytes;
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
                continue;
            }

            var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
            if (Stopwatch.GetElapsedTime(quietSince, now) >= QuietPeriod && committed - committedAfterRelease >= threshold)
            {
                committedAfterRelease = Release(committed);
            }
        }
    }

    /// <summary>Collects everything, decommits what is free; returns what stays committed.</summary>
    private long Release(long committedBefore)
    {
        var started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo();
        LogReleased(committedBefore / Mebibyte, after.TotalCommittedBytes / Mebibyte, after.HeapSizeBytes / Mebibyte, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return after.TotalCommittedBytes;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The node is quiet: memory released (GC committed {Before} → {After} MiB, heap {Heap} MiB, {Milliseconds:0} ms)")]
    private partial void LogReleased(long before, long after, long heap, double milliseconds);
}
