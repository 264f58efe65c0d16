namespace Coordinator.Grains.Interfaces.Streams;

/// <summary>
/// One queue of the notification stream provider: publishers append, and the pulling agent that
/// owns the queue takes. A take waits for the next append instead of returning empty, so an idle
/// queue costs one call every <c>wait</c>, not a poll every few milliseconds.
/// <para>Call graph: stream publisher → queue; pulling agent → queue. The queue calls nothing.</para>
/// </summary>
[Alias("Coordinator.INotificationQueueGrain")]
public interface INotificationQueueGrain : IGrainWithStringKey
{
    /// <summary>Appends batches in order; throws, appending none, when they do not fit in what the queue may hold (its reader is not keeping up).</summary>
    [Alias("Enqueue")]
    Task Enqueue(QueuedBatch[] batches);

    /// <summary>
    /// Takes up to <paramref name="maxCount"/> batches in order. When the queue is empty, waits up to
    /// <paramref name="wait"/> for an append, and returns an empty array if none came.
    /// </summary>
    [Alias("Dequeue")]
    Task<QueuedBatch[]> Dequeue(int maxCount, TimeSpan wait, CancellationToken cancellationToken);
}
