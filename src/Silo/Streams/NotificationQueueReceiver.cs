using Coordinator.Grains.Interfaces.Streams;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Coordinator.Silo.Streams;

/// <summary>
/// The pulling agent's reader of one notification queue. A read waits in the queue until a batch
/// arrives (up to <paramref name="wait"/>): the agent keeps reading while there is data, so an idle
/// queue costs one call per <paramref name="wait"/> and a new batch is handed on at once.
/// </summary>
internal sealed class NotificationQueueReceiver(INotificationQueueGrain queue, TimeSpan wait) : IQueueAdapterReceiver
{
    private long _sequenceNumber;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        QueuedBatch[] batches;
        try
        {
            batches = await queue.Dequeue(maxCount < 0 ? int.MaxValue : maxCount, wait, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return []; // The agent is stopping: an empty read, not an error to log.
        }

        var containers = new List<IBatchContainer>(batches.Length);
        for (var first = 0; first < batches.Length;)
        {
            // Consecutive batches of one stream become one container: its subscriber gets them in one delivery.
            var end = first + 1;
            while (end < batches.Length && batches[end].StreamId == batches[first].StreamId)
            {
                end++;
            }

            var events = end - first == 1 ? batches[first].Events : [.. batches[first..end].SelectMany(batch => batch.Events)];
            containers.Add(new NotificationBatchContainer(batches[first].StreamId, events, new EventSequenceTokenV2(++_sequenceNumber)));
            first = end;
        }

        return containers;
    }

    /// <summary>Nothing to acknowledge: a batch left the queue when it was read.</summary>
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;
}
