using System.Text.Json;
using Coordinator.Silo.Workers;

namespace Coordinator.Silo.Media;

/// <summary>Consumers.</summary>
public sealed partial class WorkerMediaRouter
{
    public async Task CreateConsumerAsync(uint consumerId, uint producerId, string kind, CancellationToken cancellationToken = default)
    {
        ConsumerRecord consumer;
        lock (_gate)
        {
            // The worker's order (verified): the new id first, then the producer, then the kind.
            ThrowIfClosedLocked();
            consumer = _consumers.Reserve(consumerId, workerId => new ConsumerRecord(consumerId, workerId, _producers.Live(producerId)));
        }

        // A paused producer makes the worker report sourcepaused before this reply.
        var target = new WorkerInternal(RouterId: RouterObjectId, ProducerId: consumer.Producer.WorkerId, ConsumerId: consumer.WorkerId);
        await CreateAsync(_consumers, consumer, "router.createConsumer", target, new KindData(kind), cancellationToken).ConfigureAwait(false);
    }

    public async Task EnableConsumerAsync(uint consumerId, uint transportId, JsonElement rtpParameters, CancellationToken cancellationToken = default)
    {
        ConsumerRecord consumer;
        TransportRecord transport;
        lock (_gate)
        {
            consumer = LiveLocked(_consumers, consumerId);
            transport = LiveLocked(_transports, transportId);
        }

        var target = new WorkerInternal(RouterId: RouterObjectId, TransportId: transport.WorkerId, ConsumerId: consumer.WorkerId);
        await RequestAsync("consumer.enable", target, new RtpParametersData(Present(rtpParameters)), cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!consumer.IsCurrent || !transport.IsCurrent)
            {
                return;
            }

            // Enabling again moves the consumer (the worker allows it, docs/worker-channel.md#methods).
            consumer.EnabledOn?.EnabledConsumers.Remove(consumer);
            consumer.EnabledOn = transport;
            transport.EnabledConsumers.Add(consumer);
        }
    }

    public Task PauseConsumerAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        RequestAsync("consumer.pause", Live(_consumers, consumerId), null, cancellationToken);

    public Task ResumeConsumerAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        RequestAsync("consumer.resume", Live(_consumers, consumerId), null, cancellationToken);

    public Task SetConsumerPreferredProfileAsync(uint consumerId, string profile, CancellationToken cancellationToken = default) =>
        RequestAsync("consumer.setPreferredProfile", Live(_consumers, consumerId), new ProfileData(profile), cancellationToken);

    public Task RequestConsumerKeyFrameAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        RequestAsync("consumer.requestKeyFrame", Live(_consumers, consumerId), null, cancellationToken);

    public Task CloseConsumerAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        CloseOwnAsync(Live(_consumers, consumerId), "consumer.close", cancellationToken);

    public async Task<JsonElement> GetConsumerStatsAsync(uint consumerId, CancellationToken cancellationToken = default)
    {
        var stats = await RequestAsync("consumer.getStats", Live(_consumers, consumerId), null, cancellationToken).ConfigureAwait(false);
        return WithProtocolIds(stats);
    }
}
