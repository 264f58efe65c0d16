using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Protocol.Ortc;

namespace Coordinator.Protocol.Messages;

/// <summary>JavaScript semantics the reference server applies to incoming JSON values.</summary>
public static class JsJson
{
    /// <summary><c>Boolean(value)</c>: absent, null, false, 0, NaN and "" are false; everything else is true.</summary>
    public static bool Truthy(JsonElement? value) => value is { } element && Truthy(element);

    public static bool Truthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.False => false,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Number => value.GetDouble() != 0,
        _ => true,
    };

    /// <summary>The property's value, or null when the object has no such key (absent is not JSON null).</summary>
    public static JsonElement? Property(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : null;

    /// <summary>The property as a string, or null when absent or not a string.</summary>
    public static string? StringProperty(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>
    /// A copy backed by a document of its own. A value kept from a larger message must not keep that
    /// message alive; <see cref="JsonElement.Clone"/> is not enough, since it returns an element of an
    /// already cloned document (as every element received in a grain call is) unchanged.
    /// </summary>
    public static JsonElement? Detach(JsonElement? value) =>
        value is { } element ? JsonSerializer.SerializeToElement(element) : null;

    /// <summary>
    /// The element as a node for the ORTC code, without writing it out: the node reads the element
    /// (and so keeps its document alive) and builds its children on first read.
    /// </summary>
    public static JsonNode? ToNode(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        _ => JsonValue.Create(element),
    };

    /// <summary>The value as the reference's JavaScript sees it: an absent property is <c>undefined</c>.</summary>
    public static JsValue Value(JsonElement? value) => value is { } element ? JsValue.From(ToNode(element)) : JsValue.Undefined;

    /// <summary>A node built by the ORTC code, frozen into an immutable element to be stored or handed on.</summary>
    public static JsonElement Freeze(JsonNode node) => JsonSerializer.SerializeToElement(node);

    /// <summary>
    /// Builds every child of a parsed node now. A parsed <see cref="JsonObject"/> or <see cref="JsonArray"/>
    /// creates its children on first read, which is a write: a node that several threads read at once
    /// must be materialised first, and then nobody may write to it.
    /// </summary>
    [return: NotNullIfNotNull(nameof(node))]
    public static T? Materialize<T>(T? node)
        where T : JsonNode
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Materialize(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Materialize(child);
                }

                break;
        }

        return node;
    }
}
