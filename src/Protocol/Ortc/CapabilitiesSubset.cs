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
        // PT first: a codec without a name only throws when its PT exists in the Room.
        RequireEachInRoom(
            JsArrays.Iterate(peer.Get("codecs"), "aCaps.codecs"),
            room.Get("codecs"),
            "bCaps.codecs",
            "preferredPayloadType",
            CodecMatching.MatchCodecs,
            codec => $"unsupported codec [name:{JsText.Of(codec.Get("name"))}, preferredPayloadType:{JsText.Of(codec.Get("preferredPayloadType"))}]");
        RequireEachInRoom(
            JsArrays.IterateOrEmpty(peer.Get("headerExtensions")),
            room.Get("headerExtensions"),
            "bCaps.headerExtensions",
            "preferredId",
            CodecMatching.MatchHeaderExtensions,
            extension => $"unsupported header extension [kind:{JsText.Of(extension.Get("kind"))}, uri:{JsText.Of(extension.Get("uri"))}]");
    }

    /// <summary>Each of the peer's entries must have a Room entry with the same <paramref name="idKey"/> that matches it, or the check fails with <paramref name="unsupported"/>.</summary>
    private static void RequireEachInRoom(
        IEnumerable<JsValue> peerEntries, JsValue roomEntries, string roomExpression, string idKey, Func<JsValue, JsValue, bool> matches, Func<JsValue, string> unsupported)
    {
        foreach (var peerEntry in peerEntries)
        {
            var matched = JsArrays.Find(roomEntries, roomExpression, roomEntry =>
                peerEntry.Get(idKey).StrictEquals(roomEntry.Get(idKey)) && matches(peerEntry, roomEntry));
            if (!matched.IsTruthy)
            {
                throw MediasoupError.Error(unsupported(peerEntry));
            }
        }
    }
}
