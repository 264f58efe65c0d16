using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Protocol;
using Coordinator.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary>
/// <c>enable*Stats</c> / <c>disable*Stats</c> (docs/protocol.md#stats): one report at once, then one every
/// interval from a Room timer that reads the worker's real stats; enabling twice keeps the first
/// interval; disabling or closing the object stops it.
/// </summary>
internal static class StatsOperations
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(1000);

    public static Task EnableTransportAsync(RoomOperation op, RoomMember member, JsonElement notification)
    {
        var transport = TransportOperations.Find(member, notification) ?? throw MediasoupError.Error("Transport not found");
        return transport.Kind == TransportKind.PlainRtp
            ? Task.CompletedTask
            : StartAsync(op, notification, transport.Stats, async current =>
            {
                var stats = await current.Media(router => router.GetTransportStatsAsync(transport.Id));
                current.Outbox.Notify(transport.Owner, ServerNotifications.TransportStats(transport.Id, stats));
            });
    }

    /// <summary>Producer stats: skipped while the producer is paused.</summary>
    public static Task EnableProducerAsync(RoomOperation op, RoomMember member, JsonElement notification)
    {
        var producer = ProducerOperations.Find(member, notification) ?? throw MediasoupError.Error("Producer not found");
        return StartAsync(op, notification, producer.Stats, async current =>
        {
            if (!producer.Paused)
            {
                var stats = await current.Media(router => router.GetProducerStatsAsync(producer.Id));
                current.Outbox.Notify(producer.Owner, ServerNotifications.ProducerStats(producer.Id, stats));
            }
        });
    }

    /// <summary>Consumer stats: only while enabled and not paused (locally, remotely or at the source).</summary>
    public static Task EnableConsumerAsync(RoomOperation op, RoomMember member, JsonElement notification)
    {
        var consumer = ConsumerOperations.Find(member, notification) ?? throw MediasoupError.Error("Consumer not found");
        return StartAsync(op, notification, consumer.Stats, async current =>
        {
            if (consumer.Enabled && !consumer.Paused)
            {
                var stats = await current.Media(router => router.GetConsumerStatsAsync(consumer.Id));
                current.Outbox.Notify(consumer.Owner, ServerNotifications.ConsumerStats(consumer.Id, consumer.PeerName, stats));
            }
        });
    }

    public static void DisableTransport(RoomMember member, JsonElement notification) =>
        (TransportOperations.Find(member, notification) ?? throw MediasoupError.Error("Transport not found")).Stats.Stop();

    public static void DisableProducer(RoomMember member, JsonElement notification) =>
        (ProducerOperations.Find(member, notification) ?? throw MediasoupError.Error("Producer not found")).Stats.Stop();

    public static void DisableConsumer(RoomMember member, JsonElement notification) =>
        (ConsumerOperations.Find(member, notification) ?? throw MediasoupError.Error("Consumer not found")).Stats.Stop();

    /// <summary>Reports at once, then on every tick; enabling twice keeps the first interval.</summary>
    private static async Task StartAsync(RoomOperation op, JsonElement notification, StatsSubscription subscription, Func<RoomOperation, Task> report)
    {
        if (subscription.Enabled || Interval(op, notification) is not { } interval)
        {
            return;
        }

        subscription.Start(op.Timers.StartPeriodic(interval, report));
        await report(op);
    }

    /// <summary>Missing means 1000 ms; not a number means the message is ignored; below 1000 ms is raised to it.</summary>
    private static TimeSpan? Interval(RoomOperation op, JsonElement notification)
    {
        switch (JsJson.Property(notification, "interval"))
        {
            case null:
                return MinimumInterval;
            case { ValueKind: JsonValueKind.Number } number when number.TryGetDouble(out var milliseconds) && double.IsFinite(milliseconds):
                return milliseconds < MinimumInterval.TotalMilliseconds ? MinimumInterval : TimeSpan.FromMilliseconds(Math.Min(milliseconds, int.MaxValue));
            default:
                op.Logger.LogWarning("Stats interval is not a number; message ignored");
                return null;
        }
    }
}
