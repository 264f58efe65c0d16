using System.Text.Json;
using System.Text.Unicode;
using Coordinator.Protocol.Messages;

namespace Coordinator.Protocol.Protoo;

/// <summary>A message a client sent, parsed as protoo 3 does (protoo-server's Message.parse).</summary>
public abstract record ProtooMessage
{
    /// <summary>
    /// The <c>session</c> string of a frontend's frame (docs/frontend-api.md); null when absent or
    /// not a string. A browser socket's frames never need it, and ignore it.
    /// </summary>
    public string? Session { get; init; }

    /// <summary>The <c>roomId</c> string of a frontend's request made without a session (its <c>queryRoom</c>).</summary>
    public string? RoomId { get; init; }

    /// <summary>Parses one text frame; null when it is not JSON or not a protoo request/notification.</summary>
    public static ProtooMessage? Parse(ReadOnlyMemory<byte> frame, int maxDepth, out string? problem)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(frame, new JsonDocumentOptions { MaxDepth = maxDepth });
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            problem = $"not JSON: {exception.Message}";
            return TopLevelRequestId(frame.Span) is { } requestId
                ? new ProtooInvalidRequest(requestId, $"invalid message: nested deeper than {maxDepth} levels, or not JSON")
                : null;
        }

        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "not a JSON object";
            return null;
        }

        // In valid UTF-8 only a \u escape can encode a lone surrogate (the parser does not check the
        // bytes inside strings): a frame with neither problem, nearly all, skips the walk that
        // reads every key and string.
        var validText = (Utf8.IsValid(frame.Span) && frame.Span.IndexOf("\\u"u8) < 0) || HasOnlyValidStrings(root);
        if (IsTrue(root, "request"))
        {
            if (!root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number)
            {
                problem = "request without a numeric id";
                return null;
            }

            if (!validText)
            {
                // Still a request we can name: it gets its one answer.
                return new ProtooInvalidRequest(id, "invalid message: a string is not valid UTF-16 (a lone surrogate)");
            }

            return Method(root) is { } method ? new ProtooRequest(id, method, Data(root)) { Session = SessionOf(root), RoomId = JsJson.StringProperty(root, "roomId") } : Invalid(out problem);
        }

        if (!validText)
        {
            problem = "a string is not valid UTF-16 (a lone surrogate)";
            return null;
        }

        if (IsTrue(root, "notification"))
        {
            return Method(root) is { } method ? new ProtooNotification(method, Data(root)) { Session = SessionOf(root) } : Invalid(out problem);
        }

        problem = IsTrue(root, "response")
            ? "a response, but this server never sends requests"
            : "neither a request nor a notification";
        return null;
    }

    /// <summary>
    /// The id of a frame that looks like a request but could not be parsed as a whole (too deep):
    /// a flat token scan of its top level, so that such a request still gets its one answer.
    /// </summary>
    private static JsonElement? TopLevelRequestId(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 100_000 });
        JsonElement? id = null;
        var isRequest = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                var name = reader.GetString();
                reader.Read();
                if (name == "request")
                {
                    isRequest = reader.TokenType == JsonTokenType.True;
                }
                else if (name == "id" && reader.TokenType == JsonTokenType.Number)
                {
                    using var number = JsonDocument.Parse(reader.ValueSpan.ToArray());
                    id = number.RootElement.Clone();
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Not JSON at all past some point: keep what the top level already said.
        }

        return isRequest ? id : null;
    }

    /// <summary>
    /// JSON escapes can encode lone UTF-16 surrogates, which no .NET string API accepts; such a
    /// frame is refused here, once, instead of failing wherever one of its strings is read.
    /// </summary>
    private static bool HasOnlyValidStrings(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Name is null || !HasOnlyValidStrings(property.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!HasOnlyValidStrings(item))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static ProtooMessage? Invalid(out string problem)
    {
        problem = "missing or non-string method";
        return null;
    }

    private static bool IsTrue(JsonElement root, string name) =>
        JsJson.Truthy(JsJson.Property(root, name));

    private static string? Method(JsonElement root) => JsJson.StringProperty(root, "method");

    private static string? SessionOf(JsonElement root) => JsJson.StringProperty(root, "session");

    /// <summary>protoo replaces a falsy <c>data</c> with <c>{}</c>.</summary>
    private static JsonElement Data(JsonElement root) =>
        root.TryGetProperty("data", out var data) && JsJson.Truthy(data) ? data : EmptyObject;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}

/// <summary><c>{request:true, id, method, data}</c>; <see cref="Id"/> is echoed verbatim in the response.</summary>
public sealed record ProtooRequest(JsonElement Id, string Method, JsonElement Data) : ProtooMessage;

/// <summary>A request whose content cannot be used; it is answered with an error (400).</summary>
public sealed record ProtooInvalidRequest(JsonElement Id, string Reason) : ProtooMessage;

/// <summary><c>{notification:true, method, data}</c>.</summary>
public sealed record ProtooNotification(string Method, JsonElement Data) : ProtooMessage;
