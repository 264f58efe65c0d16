using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.Protocol.Messages;

namespace Coordinator.Grains.Rooms.Model;

/// <summary>A transport of one peer (docs/protocol.md#state).</summary>
internal sealed class RoomTransport(uint id, TransportKind kind, RoomMember owner, JsonElement? direction, JsonElement? appData)
{
    public uint Id { get; } = id;

    public TransportKind Kind { get; } = kind;

    public RoomMember Owner { get; } = owner;

    /// <summary>Stored, never validated or enforced (as in the reference).</summary>
    public JsonElement? Direction { get; } = JsJson.Detach(direction);

    /// <summary>Copies of their own (as <see cref="Direction"/>), so the whole request is not kept alive with them.</summary>
    public JsonElement? AppData { get; } = JsJson.Detach(appData);

    /// <summary>The local ICE parameters as the worker reported them; an ICE restart replaces them.</summary>
    public JsonElement? IceParameters { get; set; }

    public string IceState { get; set; } = "new";

    public string DtlsState { get; set; } = "new";

    public StatsSubscription Stats { get; } = new();
}
