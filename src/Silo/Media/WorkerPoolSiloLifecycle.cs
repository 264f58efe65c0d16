using Coordinator.Silo.Workers;
using Orleans.Runtime;

namespace Coordinator.Silo.Media;

/// <summary>
/// Runs the worker pool inside the silo's lifecycle, at its earliest stage: the workers are up
/// before any Room grain can activate, and they stop only after every grain was deactivated, so
/// each Room closes its router on a live worker during a graceful shutdown.
/// </summary>
internal sealed class WorkerPoolSiloLifecycle(WorkerPool pool) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WorkerPool), ServiceLifecycleStage.RuntimeInitialize, pool.StartAsync, pool.StopAsync);
}
