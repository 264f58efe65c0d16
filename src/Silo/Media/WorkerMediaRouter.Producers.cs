using System.Text.Json;
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
        ProducerRecord producer;
        lock (_gate)
        {
            // The worker's order: the new id first, then the transport.
            ThrowIfClosedLocked();
            producer = _producers.Reserve(producerId, workerId => new ProducerRecord(producerId, workerId, _transports.Live(transportId)));
        }

        var target = new WorkerInternal(RouterId: RouterObjectId, TransportId: producer.Transport.WorkerId, ProducerId: producer.WorkerId);
        var data = new CreateProducerData(kind, Present(rtpParameters), Present(rtpMapping), paused);
        await CreateAsync(_producers, producer, "router.createProducer", target, data, cancellationToken).ConfigureAwait(false);
    }

    public Task PauseProducerAsync(uint producerId, CancellationToken cancellationToken = default) =>
        RequestAsync("producer.pause", Live(_producers, producerId), null, cancellationToken);

    public Task ResumeProducerAsync(uint producerId, CancellationToken cancellationToken = default) =>
        RequestAsync("producer.resume", Live(_producers, producerId), null, cancellationToken);

    public Task SetProducerPreferredProfileAsync(uint producerId, string profile, CancellationToken cancellationToken = default) =>
        RequestAsync("producer.setPreferredProfile", Live(_producers, producerId), new ProfileData(profile), cancellationToken);

    /// <summary>Its consumers' close events come before the reply and are reported (<c>ConsumerClosed</c>).</summary>
    public async Task CloseProducerAsync(uint producerId, CancellationToken cancellationToken = default) =>
        await CloseOwnAsync(Live(_producers, producerId), "producer.close", cancellationToken).ConfigureAwait(false);

    public async Task<JsonElement> GetProducerStatsAsync(uint producerId, CancellationToken cancellationToken = default)
    {
        var stats = await RequestAsync("producer.getStats", Live(_producers, producerId), null, cancellationToken).ConfigureAwait(false);
        return WithProtocolIds(stats);
    }
}
