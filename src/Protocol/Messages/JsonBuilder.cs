using System.Text.Json;
using Coordinator.Json;

namespace Coordinator.Protocol.Messages;

/// <summary>Writes a JSON object straight into an immutable <see cref="JsonElement"/>, keys in the order written.</summary>
public static class JsonBuilder
{
    public static JsonElement Object(Action<Utf8JsonWriter> writeFields) =>
        ReusableJsonWriter.WriteObject(default, writeFields, static json =>
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        });
}
