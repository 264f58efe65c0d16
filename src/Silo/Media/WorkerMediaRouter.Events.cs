using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.Silo.Workers;

namespace Coordinator.Silo.Media;

/// <summary>
/// Worker events → <see cref="IMediaEventSink"/> calls with protocol ids, and the cascades that
/// keep the maps equal to what the worker holds (CHANNEL.md §6.2). Handlers run on the channel's
/// reader, so the events a request causes are handled before its reply completes the request.
/// </summary>
public sealed partial class WorkerMediaRouter
{
    private void OnRouterEvent(WorkerEvent workerEvent)
    {
        if (workerEvent.Name != "audiolevels")
        {
            return;
        }

        lock (_gate)
        {
            if (_closedReason is not null)
            {
                return;
            }

            var levels = AudioLevelsOf(workerEvent.Data);
            Deliver(() => _events.AudioLevels(levels));
        }
    }

    private void OnTransportEvent(TransportRecord transport, WorkerEvent workerEvent)
    {
        lock (_gate)
        {
            // Not live yet: the only event is the spurious close of a failed creation (§4.2).
            if (_closedReason is not null || !transport.Live || !IsCurrent(transport))
            {
                return;
            }

            switch (workerEvent.Name)
            {
                case "close":
                    ForgetTransportLocked(transport);
                    if (!transport.ClosingByUs)
                    {
                        Deliver(() => _events.TransportClosed(transport.Id));
                    }

                    break;
                case "icestatechange" when StringOf(workerEvent.Data, "iceState") is { } iceState:
                    Deliver(() => _events.IceStateChanged(transport.Id, iceState));
                    break;
                case "dtlsstatechange" when StringOf(workerEvent.Data, "dtlsState") is { } dtlsState:
                    Deliver(() => _events.DtlsStateChanged(transport.Id, dtlsState));
                    break;
            }
        }
    }

    private void OnConsumerEvent(ConsumerRecord consumer, WorkerEvent workerEvent)
    {
        lock (_gate)
        {
            // A consumer in creation is included: sourcepaused comes before the createConsumer reply.
            if (_closedReason is not null || !IsCurrent(consumer))
            {
                return;
            }

            switch (workerEvent.Name)
            {
                case "close":
                    ForgetConsumerLocked(consumer, report: !consumer.ClosingByUs);
                    break;
                case "sourcepaused":
                    Deliver(() => _events.ConsumerSourcePaused(consumer.Id));
                    break;
                case "sourceresumed":
                    Deliver(() => _events.ConsumerSourceResumed(consumer.Id));
                    break;
                case "effectiveprofilechange" when StringOf(workerEvent.Data, "profile") is { } profile:
                    Deliver(() => _events.ConsumerEffectiveProfileChanged(consumer.Id, profile));
                    break;
            }
        }
    }

    /// <summary>
    /// The worker closed a transport: its producers went silently (their consumers' close events
    /// came first), consumers sending on it are disabled but alive.
    /// </summary>
    private void ForgetTransportLocked(TransportRecord transport)
    {
        _transports.Remove(transport.Id);
        _transportIdsByWorkerId.Remove(transport.WorkerId);
        transport.Subscription?.Dispose();
        foreach (var producerId in transport.Producers.ToArray())
        {
            if (_producers.TryGetValue(producerId, out var producer))
            {
                ForgetProducerLocked(producer);
            }
        }

        foreach (var consumerId in transport.EnabledConsumers)
        {
            if (_consumers.TryGetValue(consumerId, out var consumer))
            {
                consumer.EnabledOn = null;
            }
        }

        transport.EnabledConsumers.Clear();
        _worker.ObjectIds.Release(transport.WorkerId);
    }

    private void ForgetProducerLocked(ProducerRecord producer)
    {
        _producers.Remove(producer.Id);
        _producerIdsByWorkerId.Remove(producer.WorkerId);
        if (_transports.TryGetValue(producer.TransportId, out var transport))
        {
            transport.Producers.Remove(producer.Id);
        }

        // The worker closes a producer's consumers, with events, before the producer itself; any
        // left here are gone all the same.
        foreach (var consumerId in producer.Consumers.ToArray())
        {
            if (_consumers.TryGetValue(consumerId, out var consumer))
            {
                ForgetConsumerLocked(consumer, report: true);
            }
        }

        _worker.ObjectIds.Release(producer.WorkerId);
    }

    private void ForgetConsumerLocked(ConsumerRecord consumer, bool report)
    {
        _consumers.Remove(consumer.Id);
        if (_producers.TryGetValue(consumer.ProducerId, out var producer))
        {
            producer.Consumers.Remove(consumer.Id);
        }

        if (consumer.EnabledOn is { } transportId && _transports.TryGetValue(transportId, out var transport))
        {
            transport.EnabledConsumers.Remove(consumer.Id);
        }

        consumer.Subscription?.Dispose();
        _worker.ObjectIds.Release(consumer.WorkerId);
        if (report)
        {
            Deliver(() => _events.ConsumerClosed(consumer.Id));
        }
    }

    private bool IsCurrent(TransportRecord transport) =>
        _transports.TryGetValue(transport.Id, out var current) && ReferenceEquals(current, transport);

    private bool IsCurrent(ProducerRecord producer) =>
        _producers.TryGetValue(producer.Id, out var current) && ReferenceEquals(current, producer);

    private bool IsCurrent(ConsumerRecord consumer) =>
        _consumers.TryGetValue(consumer.Id, out var current) && ReferenceEquals(current, consumer);

    /// <summary><c>{entries:[[workerProducerId, dBov],…]}</c> → protocol ids, unknown ones dropped, loudest first.</summary>
    private List<AudioLevel> AudioLevelsOf(JsonElement? data)
    {
        var levels = new List<AudioLevel>();
        if (data is not { ValueKind: JsonValueKind.Object } payload
            || !payload.TryGetProperty("entries", out var entries)
            || entries.ValueKind != JsonValueKind.Array)
        {
            return levels;
        }

        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Array && entry.GetArrayLength() == 2
                && entry[0].TryGetUInt32(out var workerProducerId) && entry[1].TryGetInt32(out var dBov)
                && _producerIdsByWorkerId.TryGetValue(workerProducerId, out var producerId))
            {
                levels.Add(new AudioLevel(producerId, dBov));
            }
        }

        // dBov runs from -127 (silence) to 0 (loudest); OrderByDescending is stable.
        return [.. levels.OrderByDescending(level => level.DBov)];
    }

    private static string? StringOf(JsonElement? data, string property) =>
        data is { ValueKind: JsonValueKind.Object } payload
        && payload.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
