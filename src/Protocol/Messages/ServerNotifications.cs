using System.Text.Json;

namespace Coordinator.Protocol.Messages;

/// <summary>
/// Builds server → client notifications in the reference's shape and key order:
/// <c>{method, target:'peer', notification:true, …fields}</c>. An absent appData stays absent.
/// </summary>
public static class ServerNotifications
{
    public static JsonElement NewPeer(string name, JsonElement? appData) =>
        Build("newPeer", writer =>
        {
            writer.WriteStartArray("consumers");
            writer.WriteEndArray();
            writer.WriteString("name", name);
            WriteOptional(writer, "appData", appData);
        });

    public static JsonElement PeerClosed(string name, JsonElement? appData) =>
        Build("peerClosed", writer =>
        {
            writer.WriteString("name", name);
            WriteOptional(writer, "appData", appData);
        });

    public static JsonElement Closed(JsonElement? appData) =>
        Build("closed", writer => WriteOptional(writer, "appData", appData));

    public static JsonElement Build(string method, Action<Utf8JsonWriter> writeFields) => JsonBuilder.Object(writer =>
    {
        writer.WriteString("method", method);
        writer.WriteString("target", "peer");
        writer.WriteBoolean("notification", true);
        writeFields(writer);
    });

    public static void WriteOptional(Utf8JsonWriter writer, string name, JsonElement? value)
    {
        if (value is { } element)
        {
            writer.WritePropertyName(name);
            element.WriteTo(writer);
        }
    }
}
