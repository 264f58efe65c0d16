using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Media;
using Coordinator.Protocol;
using Coordinator.Silo.Workers;

namespace Coordinator.Silo.Media;

/// <summary>Producers. The worker never emits producer events.</summary>
public sealed partial class WorkerMediaRouter
{
    public async Task CreateProducerAsync(
        uint producerId,
        uint transportId,
        string kind,
        JsonElement rtpParameters,
        JsonElement rtpMapping,
        bool paused,
        CancellationToken cancellationToken = default)
    {
        TransportRecord transport;
        ProducerRecord producer;
        lock (_gate)
        {
            // The worker's order: the new id first, then the transport.
            ThrowIfClosedLocked();
            if (_producers.ContainsKey(producerId))
            {
                throw new MediaPlaneException(MediaObjectTexts.DuplicateProducer);
            }

            transport = LiveTransportLocked(transportId);
            producer = new ProducerRecord(producerId, _worker.ObjectIds.Next(), transportId);
            _producers.Add(producerId, producer);
        }

        var data = new JsonObject();
        AddIfPresent(data, "kind", kind is null ? null : JsonValue.Create(kind));
        AddIfPresent(data, "rtpParameters", NodeOf(rtpParameters));
        AddIfPresent(data, "rtpMapping", NodeOf(rtpMapping));
        data["paused"] = paused;
        var target = new WorkerInternal(RouterId: RouterObjectId, TransportId: transport.WorkerId, ProducerId: producer.WorkerId);
        try
        {
            await RequestAsync("router.createProducer", target, data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                if (IsCurrent(producer))
                {
                    _producers.Remove(producerId);
                }

                if (IsRejection(e))
                {
                    _worker.ObjectIds.Release(producer.WorkerId);
                }
            }

            throw;
        }

        lock (_gate)
        {
            ThrowIfClosedLocked();
            if (!IsCurrent(transport))
            {
                // Its transport closed meanwhile, and the producer with it.
                ForgetProducerLocked(producer);
                throw new MediaPlaneException(MediaObjectTexts.TransportNotFound);
            }

            producer.Live = true;
            transport.Producers.Add(producerId);
            _producerIdsByWorkerId[producer.WorkerId] = producerId;
        }
    }

    public Task PauseProducerAsync(uint producerId, CancellationToken cancellationToken = default) =>
        RequestAsync("producer.pause", ProducerTarget(producerId), null, cancellationToken);

    public Task ResumeProducerAsync(uint producerId, CancellationToken cancellationToken = default) =>
        RequestAsync("producer.resume", ProducerTarget(producerId), null, cancellationToken);

    public Task SetProducerPreferredProfileAsync(uint producerId, string profile, CancellationToken cancellationToken = default) =>
        RequestAsync("producer.setPreferredProfile", ProducerTarget(producerId), ProfileData(profile), cancellationToken);

    public async Task CloseProducerAsync(uint producerId, CancellationToken cancellationToken = default)
    {
        ProducerRecord producer;
        lock (_gate)
        {
            producer = LiveProducerLocked(producerId);
        }

        // Its consumers' close events come before the reply and are reported (ConsumerClosed).
        await RequestAsync("producer.close", ProducerTarget(producer), null, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (IsCurrent(producer))
            {
                ForgetProducerLocked(producer);
            }
        }
    }

    public async Task<JsonElement> GetProducerStatsAsync(uint producerId, CancellationToken cancellationToken = default)
    {
        var stats = await RequestAsync("producer.getStats", ProducerTarget(producerId), null, cancellationToken).ConfigureAwait(false);
        return WithProtocolIds(stats);
    }

    private ProducerRecord LiveProducerLocked(uint producerId)
    {
        ThrowIfClosedLocked();
        return _producers.TryGetValue(producerId, out var producer) && producer.Live
            ? producer
            : throw new MediaPlaneException(MediaObjectTexts.ProducerNotFound);
    }

    private WorkerInternal ProducerTarget(uint producerId)
    {
        lock (_gate)
        {
            return ProducerTarget(LiveProducerLocked(producerId));
        }
    }

    private WorkerInternal ProducerTarget(ProducerRecord producer) => new(RouterId: RouterObjectId, ProducerId: producer.WorkerId);

    private static JsonObject ProfileData(string profile)
    {
        var data = new JsonObject();
        AddIfPresent(data, "profile", profile is null ? null : JsonValue.Create(profile));
        return data;
    }

    /// <summary>An absent value is left out, so the worker answers with its own <c>missing data.…</c> text.</summary>
    private static void AddIfPresent(JsonObject data, string name, JsonNode? value)
    {
        if (value is not null)
        {
            data[name] = value;
        }
    }

    private static JsonNode? NodeOf(JsonElement element) =>
        element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : JsonNode.Parse(element.GetRawText());
}
