using Coordinator.Grains.Media;
using Coordinator.Silo.Workers;

namespace Coordinator.Silo.Media;

/// <summary>
/// The objects of one kind in a router: by protocol id, and the live ones also by worker id (stats,
/// dumps and audio levels name objects by worker id). It takes a worker id and a subscription for
/// each object it reserves and frees them when it forgets the object; when the whole router closes,
/// <see cref="ForgetAll"/> hands them to the router instead. Guarded by the router's lock.
/// </summary>
/// <param name="worker">Hands out the worker ids and delivers the events.</param>
/// <param name="notFound">The reference's text for an id that is not live.</param>
/// <param name="duplicate">The reference's text for an id that is taken.</param>
/// <param name="onEvent">The handler of the kind's worker events, if the kind has any.</param>
internal sealed class RouterObjectTable<TRecord>(
    MediaWorker worker, string notFound, string duplicate, Action<TRecord, WorkerEvent>? onEvent = null)
    where TRecord : RouterObject
{
    private readonly Dictionary<uint, TRecord> _byId = [];
    private readonly Dictionary<uint, uint> _protocolIdsByWorkerId = [];

    /// <summary>Live objects and those being created. A plain read, so metrics may take it from another thread.</summary>
    public int Count => _byId.Count;

    public IReadOnlyDictionary<uint, uint> ProtocolIdsByWorkerId => _protocolIdsByWorkerId;

    /// <summary>
    /// Takes <paramref name="id"/> for the record <paramref name="create"/> makes with a fresh worker
    /// id, subscribed to its events. The duplicate check comes first (the worker's order); if
    /// <paramref name="create"/> throws (its parent is not found), the worker id is freed again.
    /// </summary>
    public TRecord Reserve(uint id, Func<uint, TRecord> create)
    {
        if (_byId.ContainsKey(id))
        {
            throw new MediaPlaneException(duplicate);
        }

        var workerId = worker.ObjectIds.Next();
        TRecord record;
        try
        {
            record = create(workerId);
        }
        catch
        {
            worker.ObjectIds.Release(workerId);
            throw;
        }

        if (onEvent is not null)
        {
            record.Subscription = worker.Channel.Subscribe(workerId, e => onEvent(record, e));
        }

        _byId.Add(id, record);
        return record;
    }

    public void MarkLive(TRecord record)
    {
        record.State = RouterObjectState.Live;
        _protocolIdsByWorkerId[record.WorkerId] = record.Id;
    }

    /// <exception cref="MediaPlaneException">No live object has this id (the reference's not-found text).</exception>
    public TRecord Live(uint id) =>
        _byId.TryGetValue(id, out var record) && record.IsLive ? record : throw new MediaPlaneException(notFound);

    /// <summary>The object with this id, live or being created.</summary>
    public TRecord? Find(uint id) => _byId.GetValueOrDefault(id);

    /// <summary>
    /// Removes a current record and ends its subscription. Its worker id is freed unless
    /// <paramref name="releaseWorkerId"/> is false: only once the worker holds nothing under it.
    /// </summary>
    public void Forget(TRecord record, bool releaseWorkerId = true)
    {
        _byId.Remove(record.Id);
        _protocolIdsByWorkerId.Remove(record.WorkerId);
        record.State = RouterObjectState.Gone;
        record.Subscription?.Dispose();
        if (releaseWorkerId)
        {
            worker.ObjectIds.Release(record.WorkerId);
        }
    }

    /// <summary>Removes everything (the router closed); the caller ends the subscriptions and frees the worker ids when it may.</summary>
    public void ForgetAll(List<IDisposable> subscriptions, List<uint> workerIds)
    {
        foreach (var record in _byId.Values)
        {
            record.State = RouterObjectState.Gone;
            if (record.Subscription is not null)
            {
                subscriptions.Add(record.Subscription);
            }

            workerIds.Add(record.WorkerId);
        }

        _byId.Clear();
        _protocolIdsByWorkerId.Clear();
    }
}
