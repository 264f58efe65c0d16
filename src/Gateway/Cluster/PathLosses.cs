namespace Coordinator.Gateway.Cluster;

/// <summary>
/// Tells requests in flight that a path to the cluster was lost: this gateway's connection to a
/// silo closed, or a silo was declared dead. A grain call sent through that silo may never be
/// answered, so such a request is sent again (see <c>PeerConnection</c>), which the Peer answers
/// once (<see cref="Grains.Interfaces.IPeerGrain.Request"/>).
/// </summary>
public sealed class PathLosses
{
    private TaskCompletionSource _next = NewSignal();

    /// <summary>Completes at the next loss after this property was read.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Signal() => Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
