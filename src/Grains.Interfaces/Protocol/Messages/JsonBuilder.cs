using System.Buffers;
using System.Text.Json;

namespace Coordinator.Protocol.Messages;

/// <summary>Writes a JSON object straight into an immutable <see cref="JsonElement"/>, keys in the order written.</summary>
public static class JsonBuilder
{
    public static JsonElement Object(Action<Utf8JsonWriter> writeFields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeFields(writer);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
