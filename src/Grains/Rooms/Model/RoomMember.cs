using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Interfaces;
using Coordinator.Protocol.Messages;

namespace Coordinator.Grains.Rooms.Model;

/// <summary>A joined peer as the Room sees it (docs/protocol.md#state).</summary>
internal sealed class RoomMember(PeerSession session, IPeerGrain peer, bool spy, JsonNode? rtpCapabilities, JsonElement? appData)
{
    public PeerSession Session { get; } = session;

    /// <summary>The session's Peer grain, resolved once: notifications go to it after every operation.</summary>
    public IPeerGrain Peer { get; } = peer;

    public string Name => Session.PeerName;

    public bool Spy { get; } = spy;

    /// <summary>The join capabilities, kept as a node for the consumer computations; shared with members that sent the same (read only).</summary>
    public JsonNode? RtpCapabilities { get; } = rtpCapabilities;

    /// <summary>A copy of its own: the request element would keep the whole join message (capabilities included) alive.</summary>
    public JsonElement? AppData { get; } = JsJson.Detach(appData);

    /// <summary>Set when the peer closes; from then on nothing more is sent to it.</summary>
    public bool Closed { get; set; }

    public Dictionary<uint, RoomTransport> Transports { get; } = [];

    /// <summary>This peer's producers in creation order.</summary>
    public List<RoomProducer> Producers { get; } = [];

    /// <summary>Consumers this peer owns: one per foreign producer.</summary>
    public Dictionary<uint, RoomConsumer> Consumers { get; } = [];
}
