using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Media;
using Coordinator.Protocol;
using Coordinator.Silo.Workers;

namespace Coordinator.Silo.Media;

/// <summary>Consumers, and the router-wide audio levels switch.</summary>
public sealed partial class WorkerMediaRouter
{
    public async Task CreateConsumerAsync(uint consumerId, uint producerId, string kind, CancellationToken cancellationToken = default)
    {
        ProducerRecord producer;
        ConsumerRecord consumer;
        lock (_gate)
        {
            // The worker's order (verified): the new id first, then the producer, then the kind.
            ThrowIfClosedLocked();
            if (_consumers.ContainsKey(consumerId))
            {
                throw new MediaPlaneException(MediaObjectTexts.DuplicateConsumer);
            }

            producer = LiveProducerLocked(producerId);

            consumer = new ConsumerRecord(consumerId, _worker.ObjectIds.Next(), producerId);
            consumer.Subscription = _worker.Channel.Subscribe(consumer.WorkerId, e => OnConsumerEvent(consumer, e));
            _consumers.Add(consumerId, consumer);
        }

        var data = new JsonObject();
        AddIfPresent(data, "kind", kind is null ? null : JsonValue.Create(kind));
        var target = new WorkerInternal(RouterId: RouterObjectId, ProducerId: producer.WorkerId, ConsumerId: consumer.WorkerId);
        try
        {
            // A paused producer makes the worker report sourcepaused before this reply.
            await RequestAsync("router.createConsumer", target, data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                if (IsCurrent(consumer))
                {
                    _consumers.Remove(consumerId);
                }

                consumer.Subscription?.Dispose();
                if (IsRejection(e))
                {
                    _worker.ObjectIds.Release(consumer.WorkerId);
                }
            }

            throw;
        }

        lock (_gate)
        {
            ThrowIfClosedLocked();
            if (!IsCurrent(producer))
            {
                // Its producer closed meanwhile, and the consumer with it.
                if (IsCurrent(consumer))
                {
                    ForgetConsumerLocked(consumer, report: true);
                }

                throw new MediaPlaneException(MediaObjectTexts.ProducerNotFound);
            }

            consumer.Live = true;
            producer.Consumers.Add(consumerId);
        }
    }

    public async Task EnableConsumerAsync(uint consumerId, uint transportId, JsonElement rtpParameters, CancellationToken cancellationToken = default)
    {
        ConsumerRecord consumer;
        TransportRecord transport;
        lock (_gate)
        {
            consumer = LiveConsumerLocked(consumerId);
            transport = LiveTransportLocked(transportId);
        }

        var data = new JsonObject();
        AddIfPresent(data, "rtpParameters", NodeOf(rtpParameters));
        var target = new WorkerInternal(RouterId: RouterObjectId, TransportId: transport.WorkerId, ConsumerId: consumer.WorkerId);
        await RequestAsync("consumer.enable", target, data, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!IsCurrent(consumer) || !IsCurrent(transport))
            {
                return;
            }

            // Enabling again moves the consumer (the worker allows it, CHANNEL.md §4.5).
            if (consumer.EnabledOn is { } previous && _transports.TryGetValue(previous, out var previousTransport))
            {
                previousTransport.EnabledConsumers.Remove(consumerId);
            }

            consumer.EnabledOn = transportId;
            transport.EnabledConsumers.Add(consumerId);
        }
    }

    public Task PauseConsumerAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        RequestAsync("consumer.pause", ConsumerTarget(consumerId), null, cancellationToken);

    public Task ResumeConsumerAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        RequestAsync("consumer.resume", ConsumerTarget(consumerId), null, cancellationToken);

    public Task SetConsumerPreferredProfileAsync(uint consumerId, string profile, CancellationToken cancellationToken = default) =>
        RequestAsync("consumer.setPreferredProfile", ConsumerTarget(consumerId), ProfileData(profile), cancellationToken);

    public Task RequestConsumerKeyFrameAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        RequestAsync("consumer.requestKeyFrame", ConsumerTarget(consumerId), null, cancellationToken);

    public Task CloseConsumerAsync(uint consumerId, CancellationToken cancellationToken = default)
    {
        ConsumerRecord consumer;
        lock (_gate)
        {
            consumer = LiveConsumerLocked(consumerId);
        }

        return CloseOwnAsync(consumer, "consumer.close", ConsumerTarget(consumer), IsCurrent, closed => ForgetConsumerLocked(closed, report: false), cancellationToken);
    }

    public async Task<JsonElement> GetConsumerStatsAsync(uint consumerId, CancellationToken cancellationToken = default)
    {
        var stats = await RequestAsync("consumer.getStats", ConsumerTarget(consumerId), null, cancellationToken).ConfigureAwait(false);
        return WithProtocolIds(stats);
    }

    public async Task SetAudioLevelsEventAsync(bool enabled, CancellationToken cancellationToken = default)
    {
        // One at a time: the worker never answers a request that repeats the current value.
        await _audioLevelsGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                ThrowIfClosedLocked();
                if (_audioLevelsEnabled == enabled)
                {
                    return;
                }
            }

            await RequestAsync("router.setAudioLevelsEvent", RouterTarget(), new JsonObject { ["enabled"] = enabled }, cancellationToken)
                .ConfigureAwait(false);
            lock (_gate)
            {
                _audioLevelsEnabled = enabled;
            }
        }
        finally
        {
            _audioLevelsGate.Release();
        }
    }

    private ConsumerRecord LiveConsumerLocked(uint consumerId)
    {
        ThrowIfClosedLocked();
        return _consumers.TryGetValue(consumerId, out var consumer) && consumer.Live
            ? consumer
            : throw new MediaPlaneException(MediaObjectTexts.ConsumerNotFound);
    }

    private WorkerInternal ConsumerTarget(uint consumerId)
    {
        lock (_gate)
        {
            return ConsumerTarget(LiveConsumerLocked(consumerId));
        }
    }

    private WorkerInternal ConsumerTarget(ConsumerRecord consumer) => new(RouterId: RouterObjectId, ConsumerId: consumer.WorkerId);
}
