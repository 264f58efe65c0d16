namespace Coordinator.Silo.Workers;

/// <summary>
/// A router's place on a worker, handed out by <see cref="WorkerPool.AcquireForRouter"/>. Dispose it
/// when the router is closed (or its worker died) so the worker's router count goes down.
/// </summary>
public sealed class WorkerLease : IDisposable
{
    private int _disposed;

    internal WorkerLease(MediaWorker worker)
    {
        Worker = worker;
        worker.AddRouter();
    }

    public MediaWorker Worker { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Worker.RemoveRouter();
        }
    }
}
