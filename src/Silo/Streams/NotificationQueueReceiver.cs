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
        var batches = await queue.Dequeue(maxCount < 0 ? int.MaxValue : maxCount, wait, cancellationToken);
        var containers = new IBatchContainer[batches.Length];
        for (var i = 0; i < batches.Length; i++)
        {
            containers[i] = new NotificationBatchContainer(batches[i].StreamId, batches[i].Events, new EventSequenceTokenV2(++_sequenceNumber));
        }

        return containers;
    }

    /// <summary>Nothing to acknowledge: a batch left the queue when it was read.</summary>
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;
}
