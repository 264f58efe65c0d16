using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Silo.Media;

/// <summary>Rewrites the worker's transport ids inside stats reports into protocol ids.</summary>
internal static class StatsIds
{
    /// <summary>
    /// For each entry of a stats array: <c>transportId</c> (inbound/outbound RTP) and, for
    /// <c>type:"transport"</c>, <c>id</c> are mapped. Non-arrays (plain transports answer
    /// <c>{}</c>) and unknown ids are left as they are.
    /// </summary>
    public static JsonElement WithProtocolTransportIds(JsonElement stats, IReadOnlyDictionary<uint, uint> protocolIdsByWorkerId)
    {
        if (stats.ValueKind != JsonValueKind.Array || stats.GetArrayLength() == 0)
        {
            return stats;
        }

        var entries = JsonNode.Parse(stats.GetRawText())!.AsArray();
        foreach (var entry in entries.OfType<JsonObject>())
        {
            Map(entry, "transportId");
            if (entry["type"] is JsonValue type && type.TryGetValue<string>(out var name) && name == "transport")
            {
                Map(entry, "id");
            }
        }

        return JsonSerializer.SerializeToElement(entries);

        void Map(JsonObject entry, string property)
        {
            if (entry[property] is JsonValue value && value.TryGetValue<uint>(out var workerId)
                && protocolIdsByWorkerId.TryGetValue(workerId, out var protocolId))
            {
                entry[property] = protocolId;
            }
        }
    }
}
