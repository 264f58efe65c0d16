using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Persistence.Redis;
using Orleans.Storage;
using StackExchange.Redis;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The stream pub-sub store, made to ride out a store outage. Orleans' pub-sub grain deactivates
/// when a write of its state fails, and its next activation cannot read the state while the store
/// is down: the gateway's subscription would be lost until the store came back. Here a write that
/// fails because the store is unreachable or slow counts as done for the grain (its state stays in
/// memory, where it is used) and is written again every second until the store takes it. A write
/// the store refuses (an ETag conflict) is an error as before.
/// </summary>
internal sealed partial class WriteBehindGrainStorage(IGrainStorage store, ILogger<WriteBehindGrainStorage> logger) : IGrainStorage
{
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<GrainId, Func<Task>> _pending = new();
    private int _retrying;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        store.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteAsync(grainId, () => store.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteAsync(grainId, () => store.ClearStateAsync(stateName, grainId, grainState));

    /// <summary>Writes now; if the store is out, keeps the write (replacing an older one of the grain's) for the retry loop.</summary>
    private async Task WriteAsync(GrainId grainId, Func<Task> write)
    {
        // This write carries the grain's latest state (the same state object an older pending write refers to).
        _pending.TryRemove(grainId, out _);
        try
        {
            await write();
        }
        catch (Exception exception) when (IsOutage(exception))
        {
            _pending[grainId] = write;
            LogDeferred(grainId.ToString(), exception.GetBaseException().Message);
            StartRetrying();
        }
    }

    private void StartRetrying()
    {
        if (Interlocked.Exchange(ref _retrying, 1) == 0)
        {
            _ = Task.Run(RetryUntilWrittenAsync);
        }
    }

    private async Task RetryUntilWrittenAsync()
    {
        while (true)
        {
            await Task.Delay(RetryPeriod);
            foreach (var (grainId, write) in _pending)
            {
                if (!_pending.TryRemove(KeyValuePair.Create(grainId, write)))
                {
                    continue; // a newer write of the grain came meanwhile
                }

                try
                {
                    await write();
                    LogWritten(grainId.ToString());
                }
                catch (Exception exception) when (IsOutage(exception))
                {
                    _pending.TryAdd(grainId, write);
                }
                catch (Exception exception)
                {
                    // The store refused it (the state changed there, e.g. it restarted empty): the
                    // grain's next write meets the same answer and the grain starts afresh from the store.
                    LogDropped(grainId.ToString(), exception.GetBaseException().Message);
                }
            }

            Volatile.Write(ref _retrying, 0);
            if (_pending.IsEmpty || Interlocked.Exchange(ref _retrying, 1) == 1)
            {
                return;
            }
        }
    }

    /// <summary>Unreachable or slow, anywhere in the chain; a refusal (<see cref="InconsistentStateException"/>) is not an outage.</summary>
    private static bool IsOutage(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case InconsistentStateException:
                    return false;
                // Orleans' Redis storage keeps only the message of what went wrong, in its own exception.
                case RedisException or TimeoutException or RedisStorageException:
                    return true;
                case var other when PostgreSqlClusterStore.IsOutage(other):
                    return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pub-sub state of {Grain} not written (the store is out: {Reason}); kept in memory and written again every second")]
    private partial void LogDeferred(string grain, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pub-sub state of {Grain} written after the store came back")]
    private partial void LogWritten(string grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pub-sub state of {Grain} kept during a store outage was refused when written again: {Reason}")]
    private partial void LogDropped(string grain, string reason);
}
