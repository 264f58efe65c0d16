using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Serialization;

namespace Coordinator.Grains.Interfaces.Hosting;

/// <summary>
/// JSON values (appData, RTP parameters, whole requests) cross grain boundaries as
/// <see cref="JsonElement"/> or <see cref="JsonNode"/>. Every silo and client must register this,
/// or the first call carrying one fails with a missing-codec error.
/// </summary>
public static class JsonSerialization
{
    public static ISerializerBuilder AddCoordinatorJson(this ISerializerBuilder builder) =>
        builder.AddJsonSerializer(isSupported: IsJsonValue);

    private static bool IsJsonValue(Type type) =>
        type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type);
}
