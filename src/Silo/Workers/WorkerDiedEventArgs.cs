namespace Coordinator.Silo.Workers;

/// <summary>An unexpected worker termination: every router on <see cref="Worker"/> is gone.</summary>
public sealed class WorkerDiedEventArgs(MediaWorker worker, string reason) : EventArgs
{
    public MediaWorker Worker { get; } = worker;

    /// <summary>E.g. <c>process 1234 killed by SIGKILL (9)</c>.</summary>
    public string Reason { get; } = reason;
}
