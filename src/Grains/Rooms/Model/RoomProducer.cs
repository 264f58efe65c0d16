using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Protocol.Messages;
using Coordinator.Protocol.Ortc;

namespace Coordinator.Grains.Rooms.Model;

/// <summary>A producer (docs/protocol.md#state).</summary>
internal sealed class RoomProducer(uint id, string kind, RoomMember owner, RoomTransport transport, JsonObject consumableRtpParameters, JsonElement? appData)
{
    public uint Id { get; } = id;

    public string Kind { get; } = kind;

    public RoomMember Owner { get; } = owner;

    public RoomTransport Transport { get; } = transport;

    /// <summary>The producer's parameters in Room terms (docs/protocol.md#ortc), computed once.</summary>
    public JsonObject ConsumableRtpParameters { get; } = consumableRtpParameters;

    /// <summary>A copy of its own, so the whole request is not kept alive with it.</summary>
    public JsonElement? AppData { get; } = JsJson.Detach(appData);

    /// <summary>Paused by the server application.</summary>
    public bool LocallyPaused { get; set; }

    /// <summary>Paused by its client (<c>pauseProducer</c>, or <c>createProducer.paused</c>).</summary>
    public bool RemotelyPaused { get; set; }

    public bool Paused => LocallyPaused || RemotelyPaused;

    public string PreferredProfile { get; set; } = "default";

    /// <summary>Its consumers in other peers, in creation order.</summary>
    public List<RoomConsumer> Consumers { get; } = [];

    public StatsSubscription Stats { get; } = new();

    /// <summary>Its consumer parameters per capability set, by reference: equal capabilities share one parsed copy per silo.</summary>
    private readonly Dictionary<JsonNode, ConsumerRtpTemplate> _consumerTemplates = new(ReferenceEqualityComparer.Instance);

    /// <summary>A new consumer's parameters for a peer with <paramref name="capabilities"/>: computed once per capability set, SSRCs drawn each time.</summary>
    public JsonElement ConsumerRtpParametersFor(JsonNode? capabilities)
    {
        if (capabilities is null)
        {
            return JsJson.Freeze(ConsumerRtpParameters.Compute(ConsumableRtpParameters, capabilities));
        }

        if (!_consumerTemplates.TryGetValue(capabilities, out var template))
        {
            template = ConsumerRtpTemplate.Compute(ConsumableRtpParameters, capabilities);
            _consumerTemplates[capabilities] = template;
        }

        return template.Instantiate();
    }
}
