using Coordinator.Grains.Interfaces.Streams;

namespace Coordinator.Silo.Streams;

/// <summary>
/// This process's appends to one notification queue. One append is under way at a time, and
/// whatever publishers hand over meanwhile goes with the next one: under load, the Peers of a silo
/// that publish to one queue share one grain call instead of making one each. Batches keep the
/// order they were handed over in, so a stream's order (and each session's) is kept. Each
/// publisher's task completes, or fails, with the append that carried its batch.
/// </summary>
internal sealed class NotificationQueueSender(INotificationQueueGrain queue)
{
    private readonly Lock _gate = new();
    private List<(QueuedBatch Batch, TaskCompletionSource Appended)> _waiting = [];
    private bool _appending;

    public Task SendAsync(QueuedBatch batch)
    {
        var appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiting.Add((batch, appended));
            if (_appending)
            {
                return appended.Task;
            }

            _appending = true;
        }

        // Off the caller's grain: the loop outlives any one publisher's turn.
        _ = Task.Run(AppendWhileWaitingAsync);
        return appended.Task;
    }

    private async Task AppendWhileWaitingAsync()
    {
        while (true)
        {
            List<(QueuedBatch Batch, TaskCompletionSource Appended)> sending;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _appending = false;
                    return;
                }

                (sending, _waiting) = (_waiting, []);
            }

            try
            {
                await queue.Enqueue([.. sending.Select(item => item.Batch)]);
                sending.ForEach(item => item.Appended.TrySetResult());
            }
            catch (Exception exception)
            {
                sending.ForEach(item => item.Appended.TrySetException(exception));
            }
        }
    }
}
