using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Silo.Media;

/// <summary>
/// Rewrites the worker's object ids inside per-object dumps into protocol ids, so that a dump
/// names the transports, producers and consumers the way the Room and the client do.
/// </summary>
internal static class DumpIds
{
    /// <summary>The RTP listener tables of a transport dump map ssrc, muxId and rid to producer ids.</summary>
    private static readonly string[] ListenerTables = ["ssrcTable", "muxIdTable", "ridTable"];

    /// <summary>
    /// Sets the dump's own id property to the protocol id, maps the listed properties that hold
    /// other objects' worker ids and the RTP listener's producer ids. Unknown worker ids (an
    /// object closed meanwhile) are left as the worker reported them.
    /// </summary>
    public static JsonElement WithProtocolIds(
        JsonElement dump,
        string idProperty,
        uint protocolId,
        IReadOnlyDictionary<string, uint> otherIds,
        IReadOnlyDictionary<uint, uint> producerIdsByWorkerId)
    {
        if (JsonNode.Parse(dump.GetRawText()) is not JsonObject node)
        {
            return dump;
        }

        node[idProperty] = protocolId;
        foreach (var (property, id) in otherIds)
        {
            node[property] = id;
        }

        if (node["rtpListener"] is JsonObject listener)
        {
            foreach (var table in ListenerTables.Select(name => listener[name]).OfType<JsonObject>())
            {
                foreach (var key in table.Select(entry => entry.Key).ToArray())
                {
                    if (WorkerId(table[key]) is { } workerId && producerIdsByWorkerId.TryGetValue(workerId, out var producerId))
                    {
                        table[key] = producerId;
                    }
                }
            }
        }

        return JsonSerializer.SerializeToElement(node);
    }

    /// <summary>The worker writes ids in these tables as strings (CHANNEL.md §4.2); numbers are accepted too.</summary>
    private static uint? WorkerId(JsonNode? value) => value switch
    {
        JsonValue text when text.TryGetValue<string>(out var s) && uint.TryParse(s, out var parsed) => parsed,
        JsonValue number when number.TryGetValue<uint>(out var n) => n,
        _ => null,
    };
}
