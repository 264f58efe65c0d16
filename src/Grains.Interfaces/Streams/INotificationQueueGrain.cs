namespace Coordinator.Grains.Interfaces.Streams;

/// <summary>
/// One queue of the notification stream provider: publishers append, and the pulling agent that
/// owns the queue reads. A read waits for the next append instead of returning empty, so an idle
/// queue costs one call every <c>wait</c>, not a poll every few milliseconds.
/// <para>
/// A batch stays in the queue until its reader confirms it was delivered. When a queue moves to
/// another silo's agent (a silo joined or left), the new reader attaches and reads every
/// unconfirmed batch again: what the old agent had read but not yet handed on is not lost. A batch
/// may thus reach a subscriber twice; the gateway drops the second copy by its <c>seq</c>.
/// </para>
/// <para>
/// A queue is read by the pulling agent of the silo it lives on (<see cref="Host"/>), so it changes
/// hands only when that silo leaves: a silo that joins takes over no queue, and no delivery stalls.
/// </para>
/// <para>Call graph: stream publisher → queue; pulling agent → queue; queue balancer → queue. The queue calls nothing.</para>
/// </summary>
[Alias("Coordinator.INotificationQueueGrain")]
public interface INotificationQueueGrain : IGrainWithStringKey
{
    /// <summary>Appends batches in order; throws, appending none, when they do not fit in what the queue may hold (its reader is not keeping up).</summary>
    [Alias("Enqueue")]
    Task Enqueue(QueuedBatch[] batches);

    /// <summary>
    /// Makes <paramref name="reader"/> the queue's only reader, from its oldest unconfirmed batch.
    /// A previous reader's reads return empty from now on. Returns how many batches the previous
    /// reader had read without confirming them (they will be read again).
    /// </summary>
    [Alias("Attach")]
    Task<int> Attach(Guid reader);

    /// <summary>
    /// Confirms every batch up to position <paramref name="deliveredThrough"/> (0: none), then reads
    /// up to <paramref name="maxCount"/> batches in order. When nothing is unread, waits up to
    /// <paramref name="wait"/> for an append. Empty when none came, or when another reader attached.
    /// </summary>
    [Alias("Read")]
    Task<QueueRead> Read(Guid reader, long deliveredThrough, int maxCount, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>The silo this queue lives on (activating it, on the caller's silo, if it is not active).</summary>
    [Alias("Host")]
    Task<SiloAddress> Host();
}
