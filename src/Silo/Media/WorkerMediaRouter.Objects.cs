using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.Silo.Workers;

namespace Coordinator.Silo.Media;

/// <summary>
/// The life of transports, producers and consumers, the same for every kind: creation, our own
/// close, and the cascades that keep the tables equal to what the worker holds
/// (docs/worker-channel.md#events).
/// </summary>
public sealed partial class WorkerMediaRouter
{
    /// <summary>
    /// Sends the creation request of a reserved object (see <see cref="RouterObjectTable{TRecord}.Reserve"/>).
    /// On failure the reservation is undone; its worker id is freed only if the worker rejected
    /// the request (then it holds nothing under that id; after a timeout it might, so the id stays
    /// taken). On success the object becomes live and joins its parent, unless the router closed
    /// or the parent went meanwhile: the worker closed the object with its parent, and the call
    /// fails with the parent's not-found text.
    /// </summary>
    private async Task<JsonElement> CreateAsync<TRecord>(
        RouterObjectTable<TRecord> table, TRecord record, string method, WorkerInternal target, object? data, CancellationToken cancellationToken)
        where TRecord : RouterObject
    {
        JsonElement reply;
        try
        {
            reply = await RequestAsync(method, target, data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                // Not current: whoever forgot it (the router's close) took care of its worker id.
                if (record.IsCurrent)
                {
                    table.Forget(record, releaseWorkerId: IsRejection(e));
                }
            }

            throw;
        }

        lock (_gate)
        {
            ThrowIfClosedLocked();
            if (record.Parent is { IsCurrent: false } parent)
            {
                if (record.IsCurrent)
                {
                    ForgetLocked(record);
                }

                throw new MediaPlaneException(parent.NotFound);
            }

            table.MarkLive(record);
            record.Parent?.Children.Add(record);
        }

        return reply;
    }

    /// <summary>
    /// Our own close. The object is marked first, so that its <c>close</c> event is not reported as
    /// the worker's doing; after the reply it is forgotten unless that event (which comes before
    /// the reply) already did it.
    /// </summary>
    private async Task CloseOwnAsync(RouterObject record, string method, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            record.ClosingByUs = true;
        }

        try
        {
            await RequestAsync(method, record.Target(RouterObjectId), null, cancellationToken).ConfigureAwait(false);
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
            if (record.IsCurrent)
            {
                ForgetLocked(record, report: false);
            }
        }
    }

    /// <summary>
    /// The worker no longer holds a current object: it leaves its table (its worker id is freed)
    /// and its parent, and the objects created on it go too, as in the worker: a producer's
    /// consumers (their <c>close</c> events usually came first, any left are reported here) and,
    /// silently, a transport's producers. Consumers sending on a closed transport are disabled,
    /// not closed. <paramref name="report"/> says whether a consumer's close is reported.
    /// </summary>
    private void ForgetLocked(RouterObject record, bool report = true)
    {
        record.Parent?.Children.Remove(record);
        foreach (var child in record.Children.ToArray())
        {
            ForgetLocked(child);
        }

        switch (record)
        {
            case TransportRecord transport:
                _transports.Forget(transport);
                foreach (var consumer in transport.EnabledConsumers)
                {
                    consumer.EnabledOn = null;
                }

                transport.EnabledConsumers.Clear();
                break;
            case ProducerRecord producer:
                _producers.Forget(producer);
                break;
            case ConsumerRecord consumer:
                _consumers.Forget(consumer);
                consumer.EnabledOn?.EnabledConsumers.Remove(consumer);
                if (report)
                {
                    Deliver(() => _events.ConsumerClosed(consumer.Id));
                }

                break;
        }
    }

    /// <summary>A live object of a table, or its kind's not-found text; a closed router throws <see cref="MediaRouterClosedException"/> first.</summary>
    private TRecord Live<TRecord>(RouterObjectTable<TRecord> table, uint id)
        where TRecord : RouterObject
    {
        lock (_gate)
        {
            return LiveLocked(table, id);
        }
    }

    private TRecord LiveLocked<TRecord>(RouterObjectTable<TRecord> table, uint id)
        where TRecord : RouterObject
    {
        ThrowIfClosedLocked();
        return table.Live(id);
    }

    /// <summary>Sends a request about a live object, e.g. <c>producer.pause</c>.</summary>
    private Task<JsonElement> RequestAsync(string method, RouterObject record, object? data, CancellationToken cancellationToken) =>
        RequestAsync(method, record.Target(RouterObjectId), data, cancellationToken);
}
