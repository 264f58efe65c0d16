using System.Text.Json;

namespace Coordinator.Protocol.Messages;

/// <summary>
/// Builds the server → client notifications in the reference's shape and key order:
/// <c>{method, target:'peer', notification:true, …fields}</c> (docs/protocol.md#server-notifications).
/// An absent appData stays absent.
/// </summary>
public static class ServerNotifications
{
    public static JsonElement NewPeer(string name, JsonElement? appData) =>
        Build("newPeer", writer =>
        {
            // A new peer has no producers yet, so it comes with no consumers.
            writer.WriteStartArray("consumers");
            writer.WriteEndArray();
            writer.WriteString("name", name);
            JsonFields.WriteOptional(writer, "appData", appData);
        });

    public static JsonElement PeerClosed(string name, JsonElement? appData) =>
        Build("peerClosed", writer =>
        {
            writer.WriteString("name", name);
            JsonFields.WriteOptional(writer, "appData", appData);
        });

    /// <summary>The server closed this peer (or its room); the only notification sent while closing.</summary>
    public static JsonElement Closed(JsonElement? appData) =>
        Build("closed", writer => JsonFields.WriteOptional(writer, "appData", appData));

    public static JsonElement NewConsumer(in ConsumerDescription consumer)
    {
        var copy = consumer;
        return Build("newConsumer", copy.WriteFields);
    }

    public static JsonElement ConsumerClosed(uint consumerId, string peerName) => ConsumerChange("consumerClosed", consumerId, peerName);

    public static JsonElement ConsumerPaused(uint consumerId, string peerName) => ConsumerChange("consumerPaused", consumerId, peerName);

    public static JsonElement ConsumerResumed(uint consumerId, string peerName) => ConsumerChange("consumerResumed", consumerId, peerName);

    public static JsonElement ConsumerEffectiveProfileChanged(uint consumerId, string peerName, string profile) =>
        Build("consumerEffectiveProfileChanged", writer =>
        {
            WriteIdAndPeer(writer, consumerId, peerName);
            writer.WriteString("profile", profile);
        });

    public static JsonElement ConsumerStats(uint consumerId, string peerName, JsonElement stats) =>
        Build("consumerStats", writer =>
        {
            WriteIdAndPeer(writer, consumerId, peerName);
            writer.WritePropertyName("stats");
            stats.WriteTo(writer);
        });

    /// <summary>To a producer's owner when the server pauses it; <c>peerName</c> is the owner's own name.</summary>
    public static JsonElement ProducerPaused(uint producerId, string ownerName, JsonElement? appData) =>
        ProducerChange("producerPaused", producerId, ownerName, appData);

    public static JsonElement ProducerResumed(uint producerId, string ownerName, JsonElement? appData) =>
        ProducerChange("producerResumed", producerId, ownerName, appData);

    public static JsonElement TransportClosed(uint transportId, JsonElement? appData) =>
        Build("transportClosed", writer =>
        {
            writer.WriteNumber("id", transportId);
            JsonFields.WriteOptional(writer, "appData", appData);
        });

    public static JsonElement TransportStats(uint transportId, JsonElement stats) => Stats("transportStats", transportId, stats);

    public static JsonElement ProducerStats(uint producerId, JsonElement stats) => Stats("producerStats", producerId, stats);

    private static JsonElement ConsumerChange(string method, uint consumerId, string peerName) =>
        Build(method, writer => WriteIdAndPeer(writer, consumerId, peerName));

    private static JsonElement ProducerChange(string method, uint producerId, string ownerName, JsonElement? appData) =>
        Build(method, writer =>
        {
            writer.WriteNumber("id", producerId);
            writer.WriteString("peerName", ownerName);
            JsonFields.WriteOptional(writer, "appData", appData);
        });

    private static JsonElement Stats(string method, uint id, JsonElement stats) =>
        Build(method, writer =>
        {
            writer.WriteNumber("id", id);
            writer.WritePropertyName("stats");
            stats.WriteTo(writer);
        });

    private static void WriteIdAndPeer(Utf8JsonWriter writer, uint id, string peerName)
    {
        writer.WriteNumber("id", id);
        writer.WriteString("peerName", peerName);
    }

    private static JsonElement Build(string method, Action<Utf8JsonWriter> writeFields) => JsonBuilder.Object(writer =>
    {
        writer.WriteString("method", method);
        writer.WriteString("target", "peer");
        writer.WriteBoolean("notification", true);
        writeFields(writer);
    });
}
