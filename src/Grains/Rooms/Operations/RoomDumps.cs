using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Media;
using Coordinator.Grains.Rooms.Model;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary>
/// Builds a <see cref="RoomDump"/> from the Room's state, with the worker's per-object dumps.
/// The Room is not reentrant and its timers do not interleave, so the state cannot change while
/// the worker answers.
/// </summary>
internal static class RoomDumps
{
    /// <summary>Worker requests in flight at once: enough to pipeline the channel, few enough not to crowd out other rooms.</summary>
    internal const int Parallelism = 32;

    public static async Task<RoomDump> BuildAsync(RoomIncarnation room, string roomId, RoomLifecycleSettings settings, RoomDumpRequest request)
    {
        var worker = request.WorkerDumps ? await FetchAsync(room) : [];
        WorkerDump Of(DumpedKind kind, uint id) => worker.TryGetValue((kind, id), out var dump) ? dump : default;
        var stats = request.MaxStatsObjects > 0 ? await RoomStats.FetchAsync(room, request.MaxStatsObjects) : null;

        var peers = room.Members.Select(member => new PeerDump(
            member.Name,
            member.Spy,
            member.Session.Grants,
            member.Session.SessionId,
            member.AppData,
            [.. member.Transports.Values.Select(t => Transport(t, Of(DumpedKind.Transport, t.Id)))],
            [.. member.Producers.Select(p => Producer(p, Of(DumpedKind.Producer, p.Id)) with { Stats = stats?.Producers.GetValueOrDefault(p.Id) })],
            [.. member.Consumers.Values.Select(c => Consumer(c, Of(DumpedKind.Consumer, c.Id)) with { Stats = stats?.Consumers.GetValueOrDefault(c.Id) })]));
        var entry = room.Entry;
        return new RoomDump(roomId, room.Id, entry.Silo, entry.Worker, entry.OpenedAt, settings, [.. peers], stats?.Omitted ?? 0);
    }

    private static TransportDump Transport(RoomTransport transport, WorkerDump worker) => new(
        transport.Id,
        transport.Kind == TransportKind.WebRtc ? "webrtc" : "plain",
        transport.IceState,
        transport.DtlsState,
        transport.Stats.Enabled,
        transport.Direction,
        transport.AppData,
        worker.Dump,
        worker.Error);

    private static ProducerDump Producer(RoomProducer producer, WorkerDump worker) => new(
        producer.Id,
        producer.Kind,
        producer.Transport.Id,
        producer.Paused,
        producer.LocallyPaused,
        producer.RemotelyPaused,
        [.. producer.Consumers.Select(consumer => consumer.Id)],
        producer.AppData,
        worker.Dump,
        worker.Error);

    private static ConsumerDump Consumer(RoomConsumer consumer, WorkerDump worker) => new(
        consumer.Id,
        consumer.Kind,
        consumer.Source.Id,
        consumer.PeerName,
        consumer.Transport?.Id,
        consumer.Paused,
        consumer.LocallyPaused,
        consumer.RemotelyPaused,
        consumer.SourcePaused,
        consumer.PreferredProfile,
        consumer.EffectiveProfile,
        worker.Dump,
        worker.Error);

    /// <summary>One worker request per object (never <c>router.dump</c>: 64 KiB reply limit), in batches.</summary>
    private static async Task<Dictionary<(DumpedKind Kind, uint Id), WorkerDump>> FetchAsync(RoomIncarnation room)
    {
        var router = room.Router;
        var requests = room.Transports.Keys.Select(id => ((DumpedKind.Transport, id), (Func<Task<JsonElement>>)(() => router.DumpTransportAsync(id))))
            .Concat(room.Producers.Keys.Select(id => ((DumpedKind.Producer, id), (Func<Task<JsonElement>>)(() => router.DumpProducerAsync(id)))))
            .Concat(room.Consumers.Keys.Select(id => ((DumpedKind.Consumer, id), (Func<Task<JsonElement>>)(() => router.DumpConsumerAsync(id)))))
            .ToArray();
        var results = new Dictionary<(DumpedKind, uint), WorkerDump>();
        foreach (var batch in requests.Chunk(Parallelism))
        {
            var dumps = await Task.WhenAll(batch.Select(request => DumpAsync(request.Item2)));
            foreach (var (request, dump) in batch.Zip(dumps))
            {
                results[request.Item1] = dump;
            }
        }

        return results;
    }

    private static async Task<WorkerDump> DumpAsync(Func<Task<JsonElement>> dump)
    {
        try
        {
            return new WorkerDump(await dump(), null);
        }
        catch (Exception exception) when (exception is MediaPlaneException or MediaRouterClosedException)
        {
            return new WorkerDump(null, exception.Message);
        }
    }

    private enum DumpedKind
    {
        Transport,
        Producer,
        Consumer,
    }

    private readonly record struct WorkerDump(JsonElement? Dump, string? Error);
}
