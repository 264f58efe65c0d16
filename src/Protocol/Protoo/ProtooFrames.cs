using System.Text.Json;
using Coordinator.Json;

namespace Coordinator.Protocol.Protoo;

/// <summary>Writes the protoo 3 frames the server sends.</summary>
public static class ProtooFrames
{
    public const string MediasoupRequest = "mediasoup-request";
    public const string MediasoupNotification = "mediasoup-notification";

    /// <summary><c>{response:true, id, ok:true, data}</c>; a missing payload becomes <c>{}</c> as in protoo.</summary>
    public static byte[] Success(JsonElement id, JsonElement? data) => Write(writer =>
    {
        writer.WriteBoolean("response", true);
        writer.WritePropertyName("id");
        id.WriteTo(writer);
        writer.WriteBoolean("ok", true);
        writer.WritePropertyName("data");
        if (data is { } payload)
        {
            payload.WriteTo(writer);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
    });

    /// <summary><c>{response:true, id, errorCode, errorReason}</c>.</summary>
    public static byte[] Error(JsonElement id, int errorCode, string errorReason) => Write(writer =>
    {
        writer.WriteBoolean("response", true);
        writer.WritePropertyName("id");
        id.WriteTo(writer);
        writer.WriteNumber("errorCode", errorCode);
        writer.WriteString("errorReason", errorReason);
    });

    /// <summary><c>{notification:true, method:'mediasoup-notification', data, seq}</c>; <c>seq</c> numbers the peer's notifications.</summary>
    public static byte[] Notification(JsonElement mediasoupNotification, long seq) => Write(writer =>
    {
        writer.WriteBoolean("notification", true);
        writer.WriteString("method", MediasoupNotification);
        writer.WritePropertyName("data");
        mediasoupNotification.WriteTo(writer);
        writer.WriteNumber("seq", seq);
    });

    private static readonly JsonWriterOptions FrameOptions =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Write(Action<Utf8JsonWriter> writeFields) =>
        ReusableJsonWriter.WriteObject(FrameOptions, writeFields, static json => json.ToArray());
}
