using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Grains.Rooms.Operations;
using Coordinator.Protocol;
using Coordinator.Protocol.Messages;
using Coordinator.Protocol.Ortc;

namespace Coordinator.Grains.Rooms;

/// <summary>A validated <c>join</c> request (docs/protocol.md#join), checked in the reference's order.</summary>
internal sealed record JoinRequest(bool Spy, JsonNode? RtpCapabilities, JsonElement? AppData)
{
    public static JoinRequest Validate(RoomIncarnation room, PeerSession session, JsonElement request, JsonObject roomCapabilities, RoomLimits limits, SharedCapabilities shared)
    {
        MessageValidation.RoomRequest(room.Closed, request);
        if (JsJson.StringProperty(request, "peerName") is not { Length: > 0 } peerName)
        {
            throw MediasoupError.Type("peerName must be a string");
        }

        if (peerName != session.PeerName)
        {
            // The gateway already refuses this; a grain never lets a session act as another peer.
            throw MediasoupError.Error("that is not your corresponding mediasoup Peer name");
        }

        if (room.Find(peerName) is not null)
        {
            throw MediasoupError.Error($"duplicated Peer [peerName:\"{peerName}\"]");
        }

        LimitChecks.Count(room.Members.Count, room.MaxPeers ?? limits.MaxPeersPerRoom, "peers in this room");
        LimitChecks.AppData(JsJson.Property(request, "appData"), limits);

        // Checked on the silo's shared copy: a browser's capabilities are parsed once, not once per join.
        var rtpCapabilities = JsJson.Property(request, "rtpCapabilities") is { } sent ? JsValue.From(shared.Acquire(sent)) : JsValue.Undefined;
        AssertSubset(rtpCapabilities, roomCapabilities);

        var spy = JsJson.Truthy(JsJson.Property(request, "spy"));
        if (spy && !session.Grants.HasFlag(PeerGrants.Spy))
        {
            throw MediasoupError.Forbidden("joining as a spy needs the spy grant");
        }

        return new JoinRequest(spy, rtpCapabilities.Node, JsJson.Property(request, "appData"));
    }

    /// <summary>
    /// Shared capability copies that passed the subset check, and the room capabilities they passed
    /// against. Both are immutable and the check has no other input, so it runs once per pair, not
    /// once per join. Weak: a copy no peer holds any more goes.
    /// </summary>
    private static readonly ConditionalWeakTable<JsonNode, JsonObject> PassedSubsetCheck = new();

    private static void AssertSubset(JsValue rtpCapabilities, JsonObject roomCapabilities)
    {
        if (rtpCapabilities.Node is { } node && PassedSubsetCheck.TryGetValue(node, out var passed) && ReferenceEquals(passed, roomCapabilities))
        {
            return;
        }

        CapabilitiesSubset.Assert(rtpCapabilities, roomCapabilities);
        if (rtpCapabilities.Node is { } checkedNode)
        {
            PassedSubsetCheck.AddOrUpdate(checkedNode, roomCapabilities);
        }
    }
}
