using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.Silo.Workers;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Media;

/// <summary>
/// One room's router on a local mediasoup 2.6.19 worker (see <see cref="IMediaRouter"/>).
/// <list type="bullet">
/// <item>Protocol ids (client transport/producer ids, Room consumer ids) are mapped to fresh ids
/// from the worker's single counter, so events, which carry only a <c>targetId</c>, are never
/// ambiguous (CHANNEL.md §3.7) and two rooms on one worker can use the same protocol ids.</item>
/// <item>The duplicate and unknown-id checks are made here with the reference texts; the worker
/// never sees a duplicate id.</item>
/// <item>It remembers each transport's kind and refuses kind-specific methods for the other kind
/// locally: the worker would crash (§4.7). It never sends <c>router.setAudioLevelsEvent</c> with
/// the current value (no reply, §3.4) nor any whole-router/worker dump (64 KiB limit).</item>
/// <item>A worker id is released only once the worker has closed the object: after its
/// <c>close</c> event, after the reply to a close that destroys it silently (producers), or after
/// a rejected creation.</item>
/// </list>
/// State is guarded by one lock: calls come from the room, events from the channel's reader.
/// </summary>
public sealed partial class WorkerMediaRouter : IMediaRouter
{
    private readonly WorkerLease _lease;
    private readonly MediaWorker _worker;
    private readonly IMediaEventSink _events;
    private readonly ILogger _logger;
    private readonly Action<WorkerMediaRouter> _onClosed;
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, TransportRecord> _transports = [];
    private readonly Dictionary<uint, ProducerRecord> _producers = [];
    private readonly Dictionary<uint, ConsumerRecord> _consumers = [];
    private readonly Dictionary<uint, uint> _transportIdsByWorkerId = [];
    private readonly Dictionary<uint, uint> _producerIdsByWorkerId = [];
    private readonly SemaphoreSlim _audioLevelsGate = new(1, 1);
    private readonly Lazy<Task> _disposal;
    private IDisposable? _routerSubscription;
    private bool _opened;
    private bool _audioLevelsEnabled;
    private string? _closedReason;

    internal WorkerMediaRouter(WorkerLease lease, IMediaEventSink events, ILogger logger, Action<WorkerMediaRouter> onClosed)
    {
        _lease = lease;
        _worker = lease.Worker;
        _events = events;
        _logger = logger;
        _onClosed = onClosed;
        _disposal = new Lazy<Task>(CloseAsync);
        RouterObjectId = _worker.ObjectIds.Next();
    }

    public string WorkerId => _worker.Id;

    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closedReason is not null;
            }
        }
    }

    /// <summary>The worker process this router lives on.</summary>
    internal MediaWorker Worker => _worker;

    /// <summary>The router's id in the worker.</summary>
    internal uint RouterObjectId { get; }

    public override string ToString() => $"router {RouterObjectId} on {WorkerId}";

    /// <summary>
    /// The worker's id for a live object (tests use it to query the worker directly), or null.
    /// </summary>
    internal uint? WorkerObjectIdOf(MediaObjectKind kind, uint protocolId)
    {
        lock (_gate)
        {
            return kind switch
            {
                MediaObjectKind.Transport => _transports.TryGetValue(protocolId, out var t) ? t.WorkerId : null,
                MediaObjectKind.Producer => _producers.TryGetValue(protocolId, out var p) ? p.WorkerId : null,
                MediaObjectKind.Consumer => _consumers.TryGetValue(protocolId, out var c) ? c.WorkerId : null,
                _ => null,
            };
        }
    }

    /// <summary>Sends <c>worker.createRouter</c>; on failure the router is abandoned and the error rethrown.</summary>
    internal async Task OpenAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _routerSubscription = _worker.Channel.Subscribe(RouterObjectId, OnRouterEvent);
        }

        try
        {
            await RequestAsync("worker.createRouter", RouterTarget(), null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Abandon(e);
            throw;
        }

        lock (_gate)
        {
            if (_closedReason is null)
            {
                _opened = true;
                return;
            }
        }

        // The worker died while the router was being created: nobody has heard of this router yet.
        throw new MediaRouterClosedException($"media worker {WorkerId} is gone");
    }

    /// <summary>
    /// The worker is gone (it died, or its channel closed): every object is gone with it. Delivers
    /// <see cref="IMediaEventSink.RouterClosed"/> once, unless the router was closed by us before.
    /// </summary>
    internal void Fail(string reason)
    {
        bool opened;
        List<IDisposable> subscriptions;
        List<uint> workerIds;
        lock (_gate)
        {
            if (_closedReason is not null)
            {
                return;
            }

            _closedReason = reason;
            opened = _opened;
            (subscriptions, workerIds) = ForgetEverythingLocked();
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        // The process is gone, so nothing in it uses these numbers any more.
        foreach (var id in workerIds)
        {
            _worker.ObjectIds.Release(id);
        }

        _lease.Dispose();
        _onClosed(this);
        if (opened)
        {
            _logger.LogWarning("Media {Router} closed: {Reason}", this, reason);
            Deliver(() => _events.RouterClosed(reason));
        }
    }

    /// <summary>Closes the router in the worker (<c>router.close</c>) if it is still open, and releases its worker. Idempotent.</summary>
    public ValueTask DisposeAsync() => new(_disposal.Value);

    private async Task CloseAsync()
    {
        bool wasOpen;
        List<IDisposable> subscriptions;
        List<uint> workerIds;
        lock (_gate)
        {
            wasOpen = _closedReason is null;
            _closedReason ??= "the router is closed";
            (subscriptions, workerIds) = ForgetEverythingLocked();
        }

        // No event is reported for our own close: the subscriptions go before the request.
        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        if (wasOpen)
        {
            var closedInWorker = false;
            try
            {
                await _worker.Channel.RequestAsync("router.close", RouterTarget()).ConfigureAwait(false);
                closedInWorker = true;
            }
            catch (WorkerClosedException)
            {
                closedInWorker = true;
            }
            catch (Exception e)
            {
                // Keep the ids live: the worker may still hold these objects.
                _logger.LogWarning(e, "Closing media {Router} failed", this);
            }

            if (closedInWorker)
            {
                foreach (var id in workerIds)
                {
                    _worker.ObjectIds.Release(id);
                }
            }
        }

        _lease.Dispose();
        _onClosed(this);
    }

    private void Abandon(Exception failure)
    {
        List<IDisposable> subscriptions;
        lock (_gate)
        {
            _closedReason ??= "the router could not be created";
            (subscriptions, _) = ForgetEverythingLocked();
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        if (IsRejection(failure) || failure is MediaRouterClosedException)
        {
            _worker.ObjectIds.Release(RouterObjectId);
        }
        else
        {
            // Timed out or cancelled: the request may still reach the worker. Close what it may
            // create; the channel keeps request order, so this close comes after it.
            _ = CloseAbandonedRouterAsync();
        }

        _lease.Dispose();
        _onClosed(this);
    }

    private async Task CloseAbandonedRouterAsync()
    {
        try
        {
            await _worker.Channel.RequestAsync("router.close", RouterTarget()).ConfigureAwait(false);
            _worker.ObjectIds.Release(RouterObjectId);
        }
        catch (WorkerRequestException)
        {
            // "Router does not exist": it never was created.
            _worker.ObjectIds.Release(RouterObjectId);
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Closing abandoned media {Router} failed", this);
        }
    }

    /// <summary>Clears every map; returns the subscriptions to dispose and the worker ids in use (router last).</summary>
    private (List<IDisposable> Subscriptions, List<uint> WorkerIds) ForgetEverythingLocked()
    {
        var subscriptions = new List<IDisposable>();
        var workerIds = new List<uint>();
        foreach (var consumer in _consumers.Values)
        {
            AddIfNotNull(subscriptions, consumer.Subscription);
            workerIds.Add(consumer.WorkerId);
        }

        foreach (var transport in _transports.Values)
        {
            AddIfNotNull(subscriptions, transport.Subscription);
            workerIds.Add(transport.WorkerId);
        }

        workerIds.AddRange(_producers.Values.Select(p => p.WorkerId));
        AddIfNotNull(subscriptions, _routerSubscription);
        _routerSubscription = null;
        workerIds.Add(RouterObjectId);
        _consumers.Clear();
        _transports.Clear();
        _producers.Clear();
        _transportIdsByWorkerId.Clear();
        _producerIdsByWorkerId.Clear();
        return (subscriptions, workerIds);

        static void AddIfNotNull(List<IDisposable> list, IDisposable? item)
        {
            if (item is not null)
            {
                list.Add(item);
            }
        }
    }

    /// <summary>
    /// Sends a request and translates the failures: a rejection → <see cref="MediaPlaneException"/>
    /// with the worker's reason verbatim; a lost worker → <see cref="MediaRouterClosedException"/>
    /// (and the router fails); a timeout or an oversized request → <see cref="MediaPlaneException"/>.
    /// </summary>
    /// <summary>
    /// Our own close of a transport or consumer. It is marked first, so that its <c>close</c> event
    /// is not reported as the worker's doing; after the reply it is forgotten unless that event
    /// (which comes before the reply) already did it.
    /// </summary>
    private async Task CloseOwnAsync<TRecord>(
        TRecord record, string method, WorkerInternal target, Func<TRecord, bool> isCurrent, Action<TRecord> forgetLocked, CancellationToken cancellationToken)
        where TRecord : IClosableRecord
    {
        lock (_gate)
        {
            record.ClosingByUs = true;
        }

        try
        {
            await RequestAsync(method, target, null, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaPlaneException)
        {
            lock (_gate)
            {
                record.ClosingByUs = false;
            }

            throw;
        }

        lock (_gate)
        {
            if (isCurrent(record))
            {
                forgetLocked(record);
            }
        }
    }

    private async Task<JsonElement> RequestAsync(string method, WorkerInternal target, object? data, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        try
        {
            return await _worker.Channel.RequestAsync(method, target, data, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkerRequestException e)
        {
            throw new MediaPlaneException(e.Reason, e);
        }
        catch (WorkerClosedException e)
        {
            Fail($"media worker {WorkerId} is gone: {e.Reason}");
            throw new MediaRouterClosedException(ClosedReason(), e);
        }
        catch (WorkerRequestTimeoutException e)
        {
            throw new MediaPlaneException(e.Message, e);
        }
        catch (RequestTooBigException e)
        {
            throw new MediaPlaneException(e.Message, e);
        }
    }

    private static bool IsRejection(Exception e) => e is MediaPlaneException { InnerException: WorkerRequestException };

    private WorkerInternal RouterTarget() => new(RouterId: RouterObjectId);

    private void ThrowIfClosed()
    {
        lock (_gate)
        {
            ThrowIfClosedLocked();
        }
    }

    private void ThrowIfClosedLocked()
    {
        if (_closedReason is not null)
        {
            throw new MediaRouterClosedException(_closedReason);
        }
    }

    private string ClosedReason()
    {
        lock (_gate)
        {
            return _closedReason ?? "the router is closed";
        }
    }

    /// <summary>Hands an event to the sink; a failing sink must not break the bookkeeping or the channel reader.</summary>
    private void Deliver(Action delivery)
    {
        try
        {
            delivery();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "The event sink of media {Router} failed", this);
        }
    }
}

/// <summary>The kinds of object a router maps to worker ids.</summary>
internal enum MediaObjectKind
{
    Transport,
    Producer,
    Consumer,
}
