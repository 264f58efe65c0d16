using Coordinator.Grains.Media;
using Coordinator.Silo.Media;
using Coordinator.Silo.Workers;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Coordinator.MediaPlane.Tests.Contract;

/// <summary>The contract against <see cref="WorkerMediaPlane"/> on a pool of one real 2.6.19 worker.</summary>
public sealed class RealWorkerMediaPlaneContractTests(ITestOutputHelper output) : MediaPlaneContract
{
    private const int MinPort = 47000;
    private const int MaxPort = 47999;

    private readonly TestLoggerFactory _loggers = new(output);
    private WorkerPool _pool = null!;
    private WorkerMediaPlane _plane = null!;

    protected override async Task<IMediaPlane> StartPlaneAsync()
    {
        _pool = new WorkerPool(Options.Create(WorkerBinary.Options(MinPort, MaxPort)), _loggers);
        await _pool.StartAsync(CancellationToken.None);
        _plane = new WorkerMediaPlane(_pool, _loggers);
        return _plane;
    }

    protected override async Task StopPlaneAsync()
    {
        _plane.Dispose();
        var pids = _pool.Workers.Select(w => w.Pid).ToArray();
        await _pool.DisposeAsync();
        Assert.All(pids, pid => Assert.False(WorkerBinary.ProcessExists(pid), $"worker {pid} outlived its pool"));
    }

    protected override void KillWorkerOf(IMediaRouter router) => _pool.Workers.Single(w => w.Id == router.WorkerId).Kill();
}
