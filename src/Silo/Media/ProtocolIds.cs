using System.Text.Json;
using Coordinator.Json;

namespace Coordinator.Silo.Media;

/// <summary>
/// Rewrites the worker's object ids inside dumps and stats into protocol ids, so that they name
/// transports, producers and consumers the way the Room and the client do. One pass: the worker's
/// JSON is read as it arrived and written again with the ids replaced on the way. Unknown worker
/// ids (an object closed meanwhile) are left as the worker reported them.
/// </summary>
internal static class ProtocolIds
{
    /// <summary>The RTP listener tables of a transport dump map ssrc, muxId and rid to producer ids.</summary>
    private static readonly string[] ListenerTables = ["ssrcTable", "muxIdTable", "ridTable"];

    /// <summary>
    /// One object's dump: the named properties (its own id, a consumer's <c>sourceProducerId</c>) get
    /// the given protocol ids, added at the end where the dump lacks them, and the producer ids in
    /// the RTP listener's tables are mapped.
    /// </summary>
    public static JsonElement InDump(JsonElement dump, (string Name, uint Id)[] ids, IReadOnlyDictionary<uint, uint> producerIdsByWorkerId)
    {
        if (dump.ValueKind != JsonValueKind.Object)
        {
            return dump;
        }

        return Write(writer =>
        {
            writer.WriteStartObject();
            var written = new bool[ids.Length];
            foreach (var property in dump.EnumerateObject())
            {
                var index = Array.FindIndex(ids, id => property.NameEquals(id.Name));
                if (index >= 0)
                {
                    writer.WriteNumber(property.Name, ids[index].Id);
                    written[index] = true;
                }
                else if (property.NameEquals("rtpListener") && property.Value.ValueKind == JsonValueKind.Object)
                {
                    writer.WritePropertyName(property.Name);
                    WriteListener(writer, property.Value, producerIdsByWorkerId);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            for (var i = 0; i < ids.Length; i++)
            {
                if (!written[i])
                {
                    writer.WriteNumber(ids[i].Name, ids[i].Id);
                }
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// A stats array: in each entry <c>transportId</c> (inbound/outbound RTP) and, for
    /// <c>type:"transport"</c>, <c>id</c> are mapped. Non-arrays (plain transports answer <c>{}</c>)
    /// are left as they are.
    /// </summary>
    public static JsonElement InStats(JsonElement stats, IReadOnlyDictionary<uint, uint> transportIdsByWorkerId)
    {
        if (stats.ValueKind != JsonValueKind.Array || stats.GetArrayLength() == 0)
        {
            return stats;
        }

        return Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var entry in stats.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    entry.WriteTo(writer);
                    continue;
                }

                var isTransport = entry.TryGetProperty("type", out var type) && type.ValueEquals("transport");
                writer.WriteStartObject();
                foreach (var property in entry.EnumerateObject())
                {
                    if ((property.NameEquals("transportId") || (isTransport && property.NameEquals("id")))
                        && property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetUInt32(out var workerId)
                        && transportIdsByWorkerId.TryGetValue(workerId, out var protocolId))
                    {
                        writer.WriteNumber(property.Name, protocolId);
                    }
                    else
                    {
                        property.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    private static void WriteListener(Utf8JsonWriter writer, JsonElement listener, IReadOnlyDictionary<uint, uint> producerIdsByWorkerId)
    {
        writer.WriteStartObject();
        foreach (var property in listener.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object || !ListenerTables.Any(name => property.NameEquals(name)))
            {
                property.WriteTo(writer);
                continue;
            }

            writer.WriteStartObject(property.Name);
            foreach (var entry in property.Value.EnumerateObject())
            {
                if (WorkerId(entry.Value) is { } workerId && producerIdsByWorkerId.TryGetValue(workerId, out var producerId))
                {
                    writer.WriteNumber(entry.Name, producerId);
                }
                else
                {
                    entry.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>The worker writes ids in these tables as strings (docs/worker-channel.md#methods); numbers are accepted too.</summary>
    private static uint? WorkerId(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when uint.TryParse(value.GetString(), out var parsed) => parsed,
        JsonValueKind.Number when value.TryGetUInt32(out var number) => number,
        _ => null,
    };

    /// <summary>The written value as an element of its own (the bytes are parsed once, no text in between).</summary>
    private static JsonElement Write(Action<Utf8JsonWriter> write) =>
        ReusableJsonWriter.Write(default, write, static json => JsonElement.Parse(json.Span));
}
