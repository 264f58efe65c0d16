using Coordinator.Grains.Interfaces.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Placement;

namespace Coordinator.Grains.Streams;

/// <summary>
/// An in-memory queue of notification batches (see <see cref="INotificationQueueGrain"/>). Holds
/// every batch until its reader confirms delivery, so a reader that takes over re-reads what its
/// predecessor had not handed on. Reentrant, so appends go on while a read waits; every turn runs on
/// the grain's scheduler, so the state needs no lock. Placed on the silo of its first caller, where
/// it stays until that silo leaves; the queue balancer gives its reading to that silo's agent.
/// </summary>
[Reentrant]
[PreferLocalPlacement]
internal sealed partial class NotificationQueueGrain(NotificationQueueLimits limits, ILocalSiloDetails silo, ILogger<NotificationQueueGrain> logger) : Grain, INotificationQueueGrain
{
    /// <summary>Unconfirmed batches, oldest first: <c>_batches[i]</c> is at position <c>_firstPosition + i</c>.</summary>
    private readonly List<QueuedBatch> _batches = [];

    /// <summary>
    /// Positions start at the activation's clock, not at 1: a queue that restarts on another silo
    /// numbers on above anything its readers saw before, so their confirmations and sequence tokens
    /// never point past its new batches.
    /// </summary>
    private long _firstPosition = DateTime.UtcNow.Ticks;

    private long _nextRead;
    private Guid _reader;
    private TaskCompletionSource? _changed;
    private Guid _lastForeignReader;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _nextRead = _firstPosition;
        LogActivated(this.GetPrimaryKeyString(), silo.SiloAddress.ToString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_batches.Count > 0)
        {
            // Lost with this activation: the gateways see the gap and close those sessions for a rejoin.
            LogDeactivated(this.GetPrimaryKeyString(), reason.ToString(), _batches.Count);
        }

        return Task.CompletedTask;
    }

    private long EndPosition => _firstPosition + _batches.Count;

    public Task Enqueue(QueuedBatch[] batches)
    {
        if (_batches.Count + batches.Length > limits.MaxBatchesPerQueue)
        {
            throw new InvalidOperationException(
                $"notification queue {this.GetPrimaryKeyString()} holds {_batches.Count} batches of at most {limits.MaxBatchesPerQueue}: its reader is not keeping up");
        }

        _batches.AddRange(batches);
        WakeReader();
        return Task.CompletedTask;
    }

    public Task<SiloAddress> Host() => Task.FromResult(silo.SiloAddress);

    public Task<int> Attach(Guid reader)
    {
        var readButUnconfirmed = (int)(_nextRead - _firstPosition);
        _reader = reader;
        _nextRead = _firstPosition;
        WakeReader(); // a previous reader's waiting read returns empty
        return Task.FromResult(readButUnconfirmed);
    }

    public async Task<QueueRead> Read(Guid reader, long deliveredThrough, int maxCount, TimeSpan wait, CancellationToken cancellationToken)
    {
        Confirm(deliveredThrough);
        if (_reader == Guid.Empty)
        {
            _reader = reader; // a fresh activation (its silo restarted the queue): the first reader to come owns it
        }

        if (reader == _reader && _nextRead == EndPosition)
        {
            _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var changed = _changed.Task;
            if (await Task.WhenAny(changed, Task.Delay(wait, waiting.Token)) != changed)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return QueueRead.Empty;
            }

            await waiting.CancelAsync();
        }

        if (reader != _reader)
        {
            if (_lastForeignReader != reader)
            {
                _lastForeignReader = reader;
                LogForeignRead(this.GetPrimaryKeyString(), reader, _reader);
            }

            return QueueRead.Empty;
        }

        if (_nextRead == EndPosition)
        {
            return QueueRead.Empty;
        }

        var first = _nextRead;
        var count = (int)Math.Min(EndPosition - first, maxCount);
        _nextRead += count;
        return new QueueRead(first, _batches.GetRange((int)(first - _firstPosition), count).ToArray());
    }

    /// <summary>Lets go of the batches through <paramref name="position"/>: a reader handed them all on.</summary>
    private void Confirm(long position)
    {
        var count = (int)Math.Clamp(position - _firstPosition + 1, 0, _batches.Count);
        if (count == 0)
        {
            return;
        }

        _batches.RemoveRange(0, count);
        _firstPosition += count;
        _nextRead = Math.Max(_nextRead, _firstPosition);
    }

    private void WakeReader()
    {
        _changed?.TrySetResult();
        _changed = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification queue {Queue} activated on {Silo}")]
    private partial void LogActivated(string queue, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification queue {Queue} deactivated ({Reason}) holding {Count} unconfirmed batches")]
    private partial void LogDeactivated(string queue, string reason, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification queue {Queue}: a read by {Reader}, which is not its reader {Owner}")]
    private partial void LogForeignRead(string queue, Guid reader, Guid owner);
}
