namespace Coordinator.Grains.Peers;

/// <summary>Peer grains on this silo that hold a connected session (read by the silo's metrics).</summary>
public sealed class ConnectedPeers
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    internal void Connected() => Interlocked.Increment(ref _count);

    internal void Disconnected() => Interlocked.Decrement(ref _count);
}
