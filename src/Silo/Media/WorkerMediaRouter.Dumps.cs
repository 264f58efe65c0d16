using System.Text.Json;
using Coordinator.Silo.Workers;

namespace Coordinator.Silo.Media;

/// <summary>
/// Per-object dumps for operators. Never <c>router.dump</c> or <c>worker.dump</c>: their reply
/// grows with the room and is silently dropped by the worker beyond 64 KiB (CHANNEL.md §2.3),
/// while one object's dump stays around a kilobyte.
/// </summary>
public sealed partial class WorkerMediaRouter
{
    private static readonly IReadOnlyDictionary<string, uint> NoOtherIds = new Dictionary<string, uint>();

    public async Task<JsonElement> DumpTransportAsync(uint transportId, CancellationToken cancellationToken = default)
    {
        WorkerInternal target;
        lock (_gate)
        {
            target = TransportTarget(LiveTransportLocked(transportId));
        }

        var dump = await RequestAsync("transport.dump", target, null, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            return DumpIds.WithProtocolIds(dump, "transportId", transportId, NoOtherIds, _producerIdsByWorkerId);
        }
    }

    public async Task<JsonElement> DumpProducerAsync(uint producerId, CancellationToken cancellationToken = default)
    {
        var dump = await RequestAsync("producer.dump", ProducerTarget(producerId), null, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            return DumpIds.WithProtocolIds(dump, "producerId", producerId, NoOtherIds, _producerIdsByWorkerId);
        }
    }

    public async Task<JsonElement> DumpConsumerAsync(uint consumerId, CancellationToken cancellationToken = default)
    {
        WorkerInternal target;
        uint sourceProducerId;
        lock (_gate)
        {
            var consumer = LiveConsumerLocked(consumerId);
            target = ConsumerTarget(consumer);
            sourceProducerId = consumer.ProducerId;
        }

        var dump = await RequestAsync("consumer.dump", target, null, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            return DumpIds.WithProtocolIds(
                dump, "consumerId", consumerId, new Dictionary<string, uint> { ["sourceProducerId"] = sourceProducerId }, _producerIdsByWorkerId);
        }
    }
}
