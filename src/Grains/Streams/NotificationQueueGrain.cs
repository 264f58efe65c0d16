using Coordinator.Grains.Interfaces.Streams;
using Orleans.Concurrency;
using Orleans.Placement;

namespace Coordinator.Grains.Streams;

/// <summary>
/// An in-memory queue of notification batches (see <see cref="INotificationQueueGrain"/>). Reentrant,
/// so appends go on while a take waits; every turn runs on the grain's scheduler, so the state needs
/// no lock. Placed on the silo of its first caller: the pulling agent calls it as it starts, so the
/// queue usually lives beside its reader.
/// </summary>
[Reentrant]
[PreferLocalPlacement]
internal sealed class NotificationQueueGrain(NotificationQueueLimits limits) : Grain, INotificationQueueGrain
{
    private readonly Queue<QueuedBatch> _batches = new();
    private TaskCompletionSource? _appended;

    public Task Enqueue(QueuedBatch[] batches)
    {
        if (_batches.Count + batches.Length > limits.MaxBatchesPerQueue)
        {
            throw new InvalidOperationException(
                $"notification queue {this.GetPrimaryKeyString()} holds {_batches.Count} batches of at most {limits.MaxBatchesPerQueue}: its reader is not keeping up");
        }

        foreach (var batch in batches)
        {
            _batches.Enqueue(batch);
        }

        _appended?.TrySetResult();
        _appended = null;
        return Task.CompletedTask;
    }

    public async Task<QueuedBatch[]> Dequeue(int maxCount, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_batches.Count == 0)
        {
            _appended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var appended = _appended.Task;
            if (await Task.WhenAny(appended, Task.Delay(wait, waiting.Token)) != appended)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return [];
            }

            await waiting.CancelAsync();
        }

        var count = Math.Min(_batches.Count, maxCount);
        var taken = new QueuedBatch[count];
        for (var i = 0; i < count; i++)
        {
            taken[i] = _batches.Dequeue();
        }

        return taken;
    }
}
