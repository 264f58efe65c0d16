using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Ortc;

/// <summary>assertCapabilitiesSubset (docs/protocol.md#ortc): the join-time check of a peer's rtpCapabilities.</summary>
public static class CapabilitiesSubset
{
    /// <summary>Throws <see cref="MediasoupError"/> unless the peer capabilities are a PT/id-preserving subset of the Room's.</summary>
    public static void Assert(JsonNode? peerCapabilities, JsonObject roomCapabilities) =>
        Assert(JsValue.From(peerCapabilities), roomCapabilities);

    /// <summary>As above; pass <see cref="JsValue.Undefined"/> for capabilities the request did not carry.</summary>
    public static void Assert(JsValue peerCapabilities, JsonObject roomCapabilities) =>
        JsGuard.Run(() => Check(peerCapabilities, JsValue.From(roomCapabilities)));

    private static void Check(JsValue peer, JsValue room)
    {
        foreach (var peerCodec in JsArrays.Iterate(peer.Get("codecs"), "aCaps.codecs"))
        {
            // PT first: a codec without a name only throws when its PT exists in the Room.
            var matched = JsArrays.Find(room.Get("codecs"), "bCaps.codecs", roomCodec =>
                peerCodec.Get("preferredPayloadType").StrictEquals(roomCodec.Get("preferredPayloadType"))
                && CodecMatching.MatchCodecs(peerCodec, roomCodec));
            if (!matched.IsTruthy)
            {
                throw MediasoupError.Error(
                    $"unsupported codec [name:{JsText.Of(peerCodec.Get("name"))}, " +
                    $"preferredPayloadType:{JsText.Of(peerCodec.Get("preferredPayloadType"))}]");
            }
        }

        foreach (var peerExtension in JsArrays.IterateOrEmpty(peer.Get("headerExtensions")))
        {
            var matched = JsArrays.Find(room.Get("headerExtensions"), "bCaps.headerExtensions", roomExtension =>
                peerExtension.Get("preferredId").StrictEquals(roomExtension.Get("preferredId"))
                && CodecMatching.MatchHeaderExtensions(peerExtension, roomExtension));
            if (!matched.IsTruthy)
            {
                throw MediasoupError.Error(
                    $"unsupported header extension [kind:{JsText.Of(peerExtension.Get("kind"))}, " +
                    $"uri:{JsText.Of(peerExtension.Get("uri"))}]");
            }
        }
    }
}
