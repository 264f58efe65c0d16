using System.Text.Json;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Protocol.Messages;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary>Server notifications about transports, producers and consumers (SPEC.md §3), in the reference's key order.</summary>
internal static class RoomNotifications
{
    public static JsonElement NewConsumer(RoomConsumer consumer) =>
        ServerNotifications.Build("newConsumer", writer => WriteConsumerFields(writer, consumer));

    /// <summary>
    /// The Consumer JSON of <c>newConsumer</c> and the join response. <c>paused</c> leaves out the
    /// source's state on purpose (SPEC.md §5.5.3): the reference learns it only later from the
    /// worker, and a client told "paused" here could stay paused forever.
    /// </summary>
    public static void WriteConsumer(Utf8JsonWriter writer, RoomConsumer consumer)
    {
        writer.WriteStartObject();
        WriteConsumerFields(writer, consumer);
        writer.WriteEndObject();
    }

    public static JsonElement ConsumerClosed(RoomConsumer consumer) =>
        ServerNotifications.Build("consumerClosed", writer => WriteIdAndPeer(writer, consumer));

    public static JsonElement ConsumerPaused(RoomConsumer consumer) =>
        ServerNotifications.Build("consumerPaused", writer => WriteIdAndPeer(writer, consumer));

    public static JsonElement ConsumerResumed(RoomConsumer consumer) =>
        ServerNotifications.Build("consumerResumed", writer => WriteIdAndPeer(writer, consumer));

    public static JsonElement ConsumerEffectiveProfileChanged(RoomConsumer consumer, string profile) =>
        ServerNotifications.Build("consumerEffectiveProfileChanged", writer =>
        {
            WriteIdAndPeer(writer, consumer);
            writer.WriteString("profile", profile);
        });

    public static JsonElement ConsumerStats(RoomConsumer consumer, JsonElement stats) =>
        ServerNotifications.Build("consumerStats", writer =>
        {
            WriteIdAndPeer(writer, consumer);
            writer.WritePropertyName("stats");
            stats.WriteTo(writer);
        });

    /// <summary>To a producer's owner when the server (the admin API) pauses it; <c>peerName</c> is the owner's own name.</summary>
    public static JsonElement ProducerPaused(RoomProducer producer, JsonElement? appData) => ProducerChange("producerPaused", producer, appData);

    public static JsonElement ProducerResumed(RoomProducer producer, JsonElement? appData) => ProducerChange("producerResumed", producer, appData);

    public static JsonElement TransportClosed(RoomTransport transport, JsonElement? appData) =>
        ServerNotifications.Build("transportClosed", writer =>
        {
            writer.WriteNumber("id", transport.Id);
            ServerNotifications.WriteOptional(writer, "appData", appData);
        });

    public static JsonElement TransportStats(RoomTransport transport, JsonElement stats) => Stats("transportStats", transport.Id, stats);

    public static JsonElement ProducerStats(RoomProducer producer, JsonElement stats) => Stats("producerStats", producer.Id, stats);

    private static JsonElement ProducerChange(string method, RoomProducer producer, JsonElement? appData) =>
        ServerNotifications.Build(method, writer =>
        {
            writer.WriteNumber("id", producer.Id);
            writer.WriteString("peerName", producer.Owner.Name);
            ServerNotifications.WriteOptional(writer, "appData", appData);
        });

    private static JsonElement Stats(string method, uint id, JsonElement stats) =>
        ServerNotifications.Build(method, writer =>
        {
            writer.WriteNumber("id", id);
            writer.WritePropertyName("stats");
            stats.WriteTo(writer);
        });

    private static void WriteConsumerFields(Utf8JsonWriter writer, RoomConsumer consumer)
    {
        writer.WriteNumber("id", consumer.Id);
        writer.WriteString("kind", consumer.Kind);
        writer.WritePropertyName("rtpParameters");
        consumer.RtpParameters.WriteTo(writer);
        writer.WriteBoolean("paused", consumer.LocallyPaused || consumer.RemotelyPaused);
        writer.WriteString("preferredProfile", consumer.PreferredProfile);
        if (consumer.EffectiveProfile is { } effective)
        {
            writer.WriteString("effectiveProfile", effective);
        }
        else
        {
            writer.WriteNull("effectiveProfile");
        }

        ServerNotifications.WriteOptional(writer, "appData", consumer.Source.AppData);
        writer.WriteString("peerName", consumer.PeerName);
    }

    private static void WriteIdAndPeer(Utf8JsonWriter writer, RoomConsumer consumer)
    {
        writer.WriteNumber("id", consumer.Id);
        writer.WriteString("peerName", consumer.PeerName);
    }
}
