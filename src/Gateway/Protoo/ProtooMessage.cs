using System.Text.Json;
using Coordinator.Protocol.Messages;

namespace Coordinator.Gateway.Protoo;

/// <summary>A message a client sent, parsed as protoo 3 does (protoo-server's Message.parse).</summary>
public abstract record ProtooMessage
{
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
            return null;
        }

        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "not a JSON object";
            return null;
        }

        if (IsTrue(root, "request"))
        {
            if (!root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number)
            {
                problem = "request without a numeric id";
                return null;
            }

            return Method(root) is { } method ? new ProtooRequest(id, method, Data(root)) : Invalid(out problem);
        }

        if (IsTrue(root, "notification"))
        {
            return Method(root) is { } method ? new ProtooNotification(method, Data(root)) : Invalid(out problem);
        }

        problem = IsTrue(root, "response")
            ? "a response, but this server never sends requests"
            : "neither a request nor a notification";
        return null;
    }

    private static ProtooMessage? Invalid(out string problem)
    {
        problem = "missing or non-string method";
        return null;
    }

    private static bool IsTrue(JsonElement root, string name) =>
        JsJson.Truthy(JsJson.Property(root, name));

    private static string? Method(JsonElement root) => JsJson.StringProperty(root, "method");

    /// <summary>protoo replaces a falsy <c>data</c> with <c>{}</c>.</summary>
    private static JsonElement Data(JsonElement root) =>
        root.TryGetProperty("data", out var data) && JsJson.Truthy(data) ? data : EmptyObject;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}

/// <summary><c>{request:true, id, method, data}</c>; <see cref="Id"/> is echoed verbatim in the response.</summary>
public sealed record ProtooRequest(JsonElement Id, string Method, JsonElement Data) : ProtooMessage;

/// <summary><c>{notification:true, method, data}</c>.</summary>
public sealed record ProtooNotification(string Method, JsonElement Data) : ProtooMessage;
