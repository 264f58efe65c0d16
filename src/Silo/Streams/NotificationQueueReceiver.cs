using Coordinator.Grains.Interfaces.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Coordinator.Silo.Streams;

/// <summary>
/// The pulling agent's reader of one notification queue. A read waits in the queue until a batch
/// arrives (up to <paramref name="wait"/>): the agent keeps reading while there is data, so an idle
/// queue costs one call per <paramref name="wait"/> and a new batch is handed on at once. What the
/// agent's cache lets go of (every subscriber has it) is confirmed with the next read, so the
/// queue can drop it; a reader that takes the queue over reads the rest again.
/// </summary>
internal sealed partial class NotificationQueueReceiver(INotificationQueueGrain queue, QueueId queueId, TimeSpan wait, ILogger logger) : IQueueAdapterReceiver
{
    private readonly Guid _reader = Guid.NewGuid();
    private long _deliveredThrough;
    private bool _attached;

    /// <summary>Attaches now if it can; if not (the queue's silo is unreachable), the first read does.</summary>
    public async Task Initialize(TimeSpan timeout)
    {
        try
        {
            await AttachAsync().WaitAsync(timeout);
        }
        catch (Exception exception)
        {
            LogAttachDeferred(queueId.ToString(), exception.Message);
        }
    }

    private async Task AttachAsync()
    {
        var readAgain = await queue.Attach(_reader);
        _attached = true;
        if (readAgain > 0)
        {
            LogTakenOver(queueId.ToString(), readAgain);
        }
    }

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        QueueRead read;
        try
        {
            if (!_attached)
            {
                await AttachAsync();
            }

            read = await queue.Read(_reader, _deliveredThrough, maxCount < 0 ? int.MaxValue : maxCount, wait, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return []; // The agent is stopping: an empty read, not an error to log.
        }

        var batches = read.Batches;
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
            var lastPosition = read.FirstPosition + end - 1;
            containers.Add(new NotificationBatchContainer(batches[first].StreamId, events, new EventSequenceTokenV2(lastPosition)));
            first = end;
        }

        return containers;
    }

    /// <summary>The agent's cache let go of these (oldest first): the next read confirms them to the queue.</summary>
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages)
    {
        foreach (var message in messages)
        {
            _deliveredThrough = Math.Max(_deliveredThrough, message.SequenceToken.SequenceNumber);
        }

        return Task.CompletedTask;
    }

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not attach to notification queue {Queue} yet ({Reason}); the first read will")]
    private partial void LogAttachDeferred(string queue, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Took over notification queue {Queue}: {Count} batches its previous reader had not confirmed are read again")]
    private partial void LogTakenOver(string queue, int count);
}
