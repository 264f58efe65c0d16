using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.Protocol;
using Coordinator.Silo.Workers;
using Microsoft.Extensions.Logging;

namespace Coordinator.Silo.Media;

/// <summary>
/// One room's router on a local mediasoup 2.6.19 worker (see <see cref="IMediaRouter"/>).
/// <list type="bullet">
/// <item>Protocol ids (client transport/producer ids, Room consumer ids) are mapped to fresh ids
/// from the worker's single counter, so events, which carry only a <c>targetId</c>, are never
/// ambiguous (docs/worker-channel.md#ids) and two rooms on one worker can use the same protocol ids.</item>
/// <item>The duplicate and unknown-id checks are made here with the reference texts; the worker
/// never sees a duplicate id.</item>
/// <item>It remembers each transport's kind and refuses kind-specific methods for the other kind
/// locally: the worker would crash. It never sends <c>router.setAudioLevelsEvent</c> with the
/// current value (no reply) nor any whole-router/worker dump (64 KiB limit); see
/// docs/worker-channel.md#rules-that-keep-the-worker-alive.</item>
/// <item>A worker id is released only once the worker has closed the object: after its
/// <c>close</c> event, after the reply to a close that destroys it silently (producers), or after
/// a rejected creation.</item>
/// </list>
/// One file per concern: this one the router's own life and requests; <c>.Objects</c> the life of
/// every object kind (with <see cref="RouterObjectTable{TRecord}"/>); <c>.Transports</c>,
/// <c>.Producers</c>, <c>.Consumers</c> the calls; <c>.Events</c>, <c>.AudioLevels</c> and
/// <c>.Diagnostics</c> the rest. State is guarded by one lock: calls come from the room, events
/// from the channel's reader.
/// </summary>
public sealed partial class WorkerMediaRouter : IMediaRouter
{
    private readonly WorkerLease _lease;
    private readonly MediaWorker _worker;
    private readonly IMediaEventSink _events;
    private readonly ILogger _logger;
    private readonly Action<WorkerMediaRouter> _onClosed;
    private readonly Lock _gate = new();
    private readonly RouterObjectTable<TransportRecord> _transports;
    private readonly RouterObjectTable<ProducerRecord> _producers;
    private readonly RouterObjectTable<ConsumerRecord> _consumers;
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
        _transports = new(_worker, MediaObjectTexts.TransportNotFound, MediaObjectTexts.DuplicateTransport, OnTransportEvent);
        _producers = new(_worker, MediaObjectTexts.ProducerNotFound, MediaObjectTexts.DuplicateProducer);
        _consumers = new(_worker, MediaObjectTexts.ConsumerNotFound, MediaObjectTexts.DuplicateConsumer, OnConsumerEvent);
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

    // Read by metrics collection on another thread: a plain read of a count, never an enumeration.
    internal int TransportCount => _transports.Count;

    internal int ProducerCount => _producers.Count;

    internal int ConsumerCount => _consumers.Count;

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
                MediaObjectKind.Transport => _transports.Find(protocolId)?.WorkerId,
                MediaObjectKind.Producer => _producers.Find(protocolId)?.WorkerId,
                MediaObjectKind.Consumer => _consumers.Find(protocolId)?.WorkerId,
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
        var (wasOpen, opened, workerIds) = Shut(reason);
        if (!wasOpen)
        {
            return;
        }

        // The process is gone, so nothing in it uses these numbers any more.
        Release(workerIds);
        Detach();
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
        // No event is reported for our own close: the subscriptions end before the request.
        var (wasOpen, _, workerIds) = Shut("the router is closed");
        if (wasOpen)
        {
            await CloseInWorkerAsync(workerIds).ConfigureAwait(false);
        }

        Detach();
    }

    private void Abandon(Exception failure)
    {
        Shut("the router could not be created");
        if (IsRejection(failure) || failure is MediaRouterClosedException)
        {
            _worker.ObjectIds.Release(RouterObjectId);
        }
        else
        {
            // Timed out or cancelled: the request may still reach the worker. Close what it may
            // create; the channel keeps request order, so this close comes after it.
            _ = CloseInWorkerAsync([RouterObjectId]);
        }

        Detach();
    }

    /// <summary>
    /// Ends the router in our books: the first reason stays, every object is forgotten and every
    /// subscription ended, so no event is reported from now on.
    /// </summary>
    /// <returns>Whether it was open until now and had been opened; the worker ids in use, the router's last.</returns>
    private (bool WasOpen, bool Opened, List<uint> WorkerIds) Shut(string reason)
    {
        var subscriptions = new List<IDisposable>();
        var workerIds = new List<uint>();
        bool wasOpen, opened;
        lock (_gate)
        {
            wasOpen = _closedReason is null;
            opened = _opened;
            _closedReason ??= reason;
            _consumers.ForgetAll(subscriptions, workerIds);
            _transports.ForgetAll(subscriptions, workerIds);
            _producers.ForgetAll(subscriptions, workerIds);
            if (_routerSubscription is not null)
            {
                subscriptions.Add(_routerSubscription);
                _routerSubscription = null;
            }
        }

        workerIds.Add(RouterObjectId);
        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }

        return (wasOpen, opened, workerIds);
    }

    /// <summary>
    /// Sends <c>router.close</c>, which closes everything in the router, and frees the worker ids
    /// once the worker holds none of them. After a timeout they stay taken: the worker may still
    /// hold these objects.
    /// </summary>
    private async Task CloseInWorkerAsync(List<uint> workerIds)
    {
        try
        {
            await _worker.Channel.RequestAsync("router.close", RouterTarget()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WorkerRequestException or WorkerClosedException)
        {
            // "Router does not exist" (it never was created), or the worker is gone: it holds nothing.
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Closing media {Router} failed", this);
            return;
        }

        Release(workerIds);
    }

    private void Release(List<uint> workerIds)
    {
        foreach (var id in workerIds)
        {
            _worker.ObjectIds.Release(id);
        }
    }

    /// <summary>Gives the worker back (it counts its routers for placement) and leaves the plane's list.</summary>
    private void Detach()
    {
        _lease.Dispose();
        _onClosed(this);
    }

    /// <summary>
    /// Sends a request and translates the failures: a rejection → <see cref="MediaPlaneException"/>
    /// with the worker's reason verbatim; a lost worker → <see cref="MediaRouterClosedException"/>
    /// (and the router fails); a timeout or an oversized request → <see cref="MediaPlaneException"/>.
    /// </summary>
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
        catch (Exception e) when (e is WorkerRequestTimeoutException or RequestTooBigException)
        {
            throw new MediaPlaneException(e.Message, e);
        }
    }

    /// <summary>An absent or null value is left out of a request (see <see cref="CreateProducerData"/>).</summary>
    private static JsonElement? Present(JsonElement value) =>
        value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : value;

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
