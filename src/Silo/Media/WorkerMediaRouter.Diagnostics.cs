using System.Text.Json;

namespace Coordinator.Silo.Media;

/// <summary>
/// Per-object dumps for operators, and the worker ids in dumps and stats turned into protocol ids.
/// Never <c>router.dump</c> or <c>worker.dump</c>: their reply grows with the room and is silently
/// dropped by the worker beyond 64 KiB (docs/worker-channel.md#framing), while one object's dump
/// stays around a kilobyte.
/// </summary>
public sealed partial class WorkerMediaRouter
{
    public async Task<JsonElement> DumpTransportAsync(uint transportId, CancellationToken cancellationToken = default)
    {
        var dump = await RequestAsync("transport.dump", Live(_transports, transportId), null, cancellationToken).ConfigureAwait(false);
        return WithProtocolIds(dump, ("transportId", transportId));
    }

    public async Task<JsonElement> DumpProducerAsync(uint producerId, CancellationToken cancellationToken = default)
    {
        var dump = await RequestAsync("producer.dump", Live(_producers, producerId), null, cancellationToken).ConfigureAwait(false);
        return WithProtocolIds(dump, ("producerId", producerId));
    }

    public async Task<JsonElement> DumpConsumerAsync(uint consumerId, CancellationToken cancellationToken = default)
    {
        var consumer = Live(_consumers, consumerId);
        var dump = await RequestAsync("consumer.dump", consumer, null, cancellationToken).ConfigureAwait(false);
        return WithProtocolIds(dump, ("consumerId", consumerId), ("sourceProducerId", consumer.Producer.Id));
    }

    private JsonElement WithProtocolIds(JsonElement dump, params (string Name, uint Id)[] ids)
    {
        lock (_gate)
        {
            return ProtocolIds.InDump(dump, ids, _producers.ProtocolIdsByWorkerId);
        }
    }

    /// <summary>
    /// Stats name transports by the worker's ids; give the protocol's instead (the client sees them
    /// in <c>transportStats</c>/<c>producerStats</c>/<c>consumerStats</c>, as the reference sends them).
    /// </summary>
    private JsonElement WithProtocolIds(JsonElement stats)
    {
        lock (_gate)
        {
            return ProtocolIds.InStats(stats, _transports.ProtocolIdsByWorkerId);
        }
    }
}
