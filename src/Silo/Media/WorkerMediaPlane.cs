using System.Collections.Concurrent;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Media;
using Coordinator.Silo.Telemetry;
using Coordinator.Silo.Workers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Silo.Media;

/// <summary>
/// The silo's media plane on its local mediasoup workers: each router goes to the least-loaded
/// worker of the <see cref="WorkerPool"/>. When a worker dies, every router on it is closed and
/// its sink gets <see cref="IMediaEventSink.RouterClosed"/> (the pool reports deaths within
/// milliseconds); the pool starts a replacement for new routers.
/// </summary>
public sealed class WorkerMediaPlane : IMediaPlane, IDisposable
{
    private readonly WorkerPool _pool;
    private readonly ILogger _routerLogger;
    private readonly ConcurrentDictionary<WorkerMediaRouter, MediaWorker> _routers = new();
    private readonly WorkerCpuUsage _cpu = new();

    public WorkerMediaPlane(WorkerPool pool, ILoggerFactory? loggerFactory = null)
    {
        _pool = pool;
        _routerLogger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<WorkerMediaRouter>();
        _pool.WorkerDied += OnWorkerDied;
    }

    /// <summary>Routers that are open (or opening).</summary>
    public int RouterCount => _routers.Count;

    /// <summary>A count summed over the open routers (for metrics; each router's count is read without its room's turn, so it is approximate).</summary>
    public int Count(Func<WorkerMediaRouter, int> count) => _routers.Keys.Sum(count);

    /// <exception cref="MediaPlaneException">No worker is available, or the worker refused the router.</exception>
    /// <exception cref="MediaRouterClosedException">The chosen worker died meanwhile.</exception>
    public async Task<IMediaRouter> CreateRouterAsync(IMediaEventSink events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        WorkerLease lease;
        try
        {
            lease = _pool.AcquireForRouter();
        }
        catch (InvalidOperationException e)
        {
            throw new MediaPlaneException(e.Message, e);
        }

        var router = new WorkerMediaRouter(lease, events, _routerLogger, r => _routers.TryRemove(r, out _));

        // Registered before the request: a death from now on reaches it (an earlier one has closed
        // the channel, so the request fails).
        _routers[router] = lease.Worker;
        await router.OpenAsync(cancellationToken).ConfigureAwait(false);
        return router;
    }

    /// <summary>Reads each worker's /proc entries: a few small file reads per worker, no worker request.</summary>
    public MediaPlaneReport Report()
    {
        var workers = _pool.Workers;
        _cpu.KeepOnly([.. workers.Select(worker => worker.Pid)]);
        return new MediaPlaneReport(_pool.ConfiguredCount, [.. workers.Select(worker =>
        {
            var (percent, window) = _cpu.Measure(worker.Pid);
            return new MediaWorkerReport(worker.Id, worker.Pid, worker.RouterCount, percent, window, (long?)WorkerProcessStats.ResidentBytes(worker.Pid));
        })]);
    }

    public void Dispose() => _pool.WorkerDied -= OnWorkerDied;

    private void OnWorkerDied(object? sender, WorkerDiedEventArgs e)
    {
        var reason = $"media worker {e.Worker.Id} died: {e.Reason}";
        foreach (var (router, worker) in _routers)
        {
            if (worker == e.Worker)
            {
                router.Fail(reason);
            }
        }
    }
}
