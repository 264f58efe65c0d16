using System.Text.Json.Serialization;

namespace Coordinator.Silo.Workers;

/// <summary>
/// The <c>internal</c> member of a request: the target object ids. Unset ids are omitted.
/// All ids are JSON numbers.
/// </summary>
public readonly record struct WorkerInternal(
    [property: JsonPropertyName("routerId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? RouterId = null,
    [property: JsonPropertyName("transportId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? TransportId = null,
    [property: JsonPropertyName("producerId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? ProducerId = null,
    [property: JsonPropertyName("consumerId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? ConsumerId = null);
