using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Coordinator.Protocol.Frontend;

/// <summary>
/// The frames of the frontend API (docs/frontend-api.md): a browser socket's protoo frames, tagged
/// with the session they belong to, and the frontend's own methods.
/// </summary>
public static class FrontendFrames
{
    /// <summary>The WebSocket sub-protocol a frontend offers.</summary>
    public const string SubProtocol = "coordinator-frontend";

    public const string OpenSession = "openSession";
    public const string CloseSession = "closeSession";
    public const string SessionClosed = "sessionClosed";

    /// <summary>The longest session id a frontend may choose, in UTF-16 code units.</summary>
    public const int MaxSessionIdLength = 128;

    /// <summary>
    /// <c>{"session":S,</c>: written in front of a session's frames in place of their opening brace.
    /// Computed once per session, so tagging a frame is one copy.
    /// </summary>
    public static byte[] SessionPrefix(string session)
    {
        var quoted = JsonSerializer.SerializeToUtf8Bytes(session, PrefixOptions);
        return [.. "{\"session\":"u8, .. quoted, (byte)','];
    }

    /// <summary>A protoo frame (a JSON object) with the session's prefix in front of its fields.</summary>
    public static byte[] Tagged(byte[] sessionPrefix, byte[] frame)
    {
        if (frame.Length < 2 || frame[0] != (byte)'{')
        {
            throw new ArgumentException("a protoo frame is a JSON object", nameof(frame));
        }

        // An empty object would leave a trailing comma: "{}" becomes {"session":S}.
        if (frame.Length == 2)
        {
            return [.. sessionPrefix.AsSpan(0, sessionPrefix.Length - 1), (byte)'}'];
        }

        var tagged = new byte[sessionPrefix.Length + frame.Length - 1];
        sessionPrefix.CopyTo(tagged, 0);
        frame.AsSpan(1).CopyTo(tagged.AsSpan(sessionPrefix.Length));
        return tagged;
    }

    /// <summary><c>{"notification":true,"session":S,"method":"sessionClosed","data":{"code":C,"reason":R}}</c>.</summary>
    public static byte[] Closed(string session, int code, string reason)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = PrefixOptions.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("notification", true);
            writer.WriteString("session", session);
            writer.WriteString("method", SessionClosed);
            writer.WriteStartObject("data");
            writer.WriteNumber("code", code);
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>For log lines and error texts: the session id as the frontend wrote it, quoted.</summary>
    public static string Quote(string session) => Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(session, PrefixOptions));

    private static readonly JsonSerializerOptions PrefixOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
