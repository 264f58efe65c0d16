namespace Coordinator.Silo.Media;

public sealed partial class WorkerMediaRouter
{
    // Read by metrics collection on another thread: a plain read of a count, never an enumeration.
    internal int TransportCount => _transports.Count;

    internal int ProducerCount => _producers.Count;

    internal int ConsumerCount => _consumers.Count;
}
