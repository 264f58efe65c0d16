using System.Text.Json;
using Coordinator.Json;
using Coordinator.Protocol.Ortc;

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
        WriteId(writer, id);
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
        WriteId(writer, id);
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

    /// <summary>Beyond this an integer is no longer exact as a JavaScript number.</summary>
    private const long MaxSafeInteger = (1L << 53) - 1;

    /// <summary>
    /// The request id as the reference echoes it: the JavaScript number it parsed, so <c>1.0</c>
    /// comes back as <c>1</c>, <c>1E2</c> as <c>100</c>, <c>-0</c> as <c>0</c> and a number beyond
    /// 2^53 rounded (docs/protocol.md#envelope).
    /// </summary>
    private static void WriteId(Utf8JsonWriter writer, JsonElement id)
    {
        if (id.TryGetInt64(out var integer) && Math.Abs(integer) <= MaxSafeInteger)
        {
            writer.WriteNumber("id", integer);
        }
        else if (id.TryGetDouble(out var number) && double.IsFinite(number))
        {
            writer.WritePropertyName("id");
            writer.WriteRawValue(JsText.Number(number), skipInputValidation: true);
        }
        else
        {
            // JSON.stringify writes a number too large for a double (1e400 parses as Infinity) as null.
            writer.WriteNull("id");
        }
    }

    private static readonly JsonWriterOptions FrameOptions =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Write(Action<Utf8JsonWriter> writeFields) =>
        ReusableJsonWriter.WriteObject(FrameOptions, writeFields, static json => json.ToArray());
}
