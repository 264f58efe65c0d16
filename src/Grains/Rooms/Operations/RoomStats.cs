using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Media;
using Coordinator.Grains.Rooms.Model;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary>
/// The admin dump's stats: one <c>producer.getStats</c> / <c>consumer.getStats</c> worker
/// request per object, producers first, then enabled consumers (a disabled one sends nothing and
/// is not asked), in join order, up to a limit; each answer reduced to <see cref="MediaStats"/>.
/// </summary>
internal static class RoomStats
{
    public static async Task<Fetched> FetchAsync(RoomIncarnation room, int maxObjects)
    {
        var router = room.Router;
        var producers = room.Members.SelectMany(member => member.Producers).Select(producer => producer.Id).ToArray();
        var consumers = room.Members.SelectMany(member => member.Consumers.Values).Where(consumer => consumer.Enabled).Select(consumer => consumer.Id).ToArray();
        var requests = producers.Select(id => (Producer: true, Id: id))
            .Concat(consumers.Select(id => (Producer: false, Id: id)))
            .ToArray();
        var asked = requests.Take(Math.Max(0, maxObjects)).ToArray();

        var fetched = new Fetched([], [], requests.Length - asked.Length);
        foreach (var batch in asked.Chunk(RoomDumps.Parallelism))
        {
            var answers = await Task.WhenAll(batch.Select(request => request.Producer
                ? AskAsync(() => router.GetProducerStatsAsync(request.Id), "inbound-rtp")
                : AskAsync(() => router.GetConsumerStatsAsync(request.Id), "outbound-rtp")));
            foreach (var (request, stats) in batch.Zip(answers))
            {
                (request.Producer ? fetched.Producers : fetched.Consumers)[request.Id] = stats;
            }
        }

        return fetched;
    }

    /// <summary>
    /// Sums the entries of <paramref name="type"/>: a producer's <c>inbound-rtp</c> streams (one per
    /// simulcast layer), a consumer's <c>outbound-rtp</c> stream (its <c>inbound-rtp</c> entry is
    /// the producer layer it forwards, already counted with the producer).
    /// </summary>
    public static MediaStats Reduce(JsonElement stats, string type)
    {
        var streams = stats.ValueKind == JsonValueKind.Array
            ? stats.EnumerateArray()
                .Where(entry => entry.ValueKind == JsonValueKind.Object && Text(entry, "type") == type)
                .Select(entry => new RtpStreamStats(
                    (uint)Number(entry, "ssrc"),
                    Text(entry, "mimeType"),
                    Number(entry, "bitrate"),
                    Number(entry, "packetCount"),
                    Number(entry, "byteCount"),
                    Number(entry, "packetsLost")))
                .ToArray()
            : [];
        return new MediaStats(
            streams.Sum(stream => stream.Bitrate),
            streams.Sum(stream => stream.Packets),
            streams.Sum(stream => stream.Bytes),
            streams.Sum(stream => stream.PacketsLost),
            streams);
    }

    private static async Task<MediaStats> AskAsync(Func<Task<JsonElement>> stats, string type)
    {
        try
        {
            return Reduce(await stats(), type);
        }
        catch (Exception exception) when (exception is MediaPlaneException or MediaRouterClosedException)
        {
            return MediaStats.Failed(exception.Message);
        }
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;

    /// <summary>The stats by producer and consumer id, and how many objects were over the limit.</summary>
    public sealed record Fetched(Dictionary<uint, MediaStats> Producers, Dictionary<uint, MediaStats> Consumers, int Omitted);
}
