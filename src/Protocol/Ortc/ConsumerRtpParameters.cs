using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Ortc;

/// <summary>
/// getConsumerRtpParameters (docs/protocol.md#ortc): what one receiving peer gets for one producer. Codecs are
/// kept by payload type only and extensions by id only; a peer that can use nothing still gets a
/// consumer, with <c>codecs: []</c>.
/// </summary>
public static class ConsumerRtpParameters
{
    public const long MinSsrc = 10_000_000;
    public const long MaxSsrc = 99_999_999;

    /// <summary>A uniformly drawn SSRC in [<see cref="MinSsrc"/>, <see cref="MaxSsrc"/>], as the reference draws them.</summary>
    public static long RandomSsrc() => Random.Shared.NextInt64(MinSsrc, MaxSsrc + 1);

    /// <summary>
    /// Returns <c>{codecs, headerExtensions, encodings:[{ssrc, rtx?}], rtcp?}</c>.
    /// <paramref name="ssrcGenerator"/> defaults to <see cref="RandomSsrc"/>; it is called for the
    /// media SSRC, then for the rtx SSRC when a kept codec is rtx.
    /// </summary>
    public static JsonObject Compute(JsonObject consumableRtpParameters, JsonNode? peerCapabilities, Func<long>? ssrcGenerator = null) =>
        Compute(consumableRtpParameters, JsValue.From(peerCapabilities), ssrcGenerator);

    public static JsonObject Compute(JsonObject consumableRtpParameters, JsValue peerCapabilities, Func<long>? ssrcGenerator = null) =>
        JsGuard.Run(() => Build(JsValue.From(consumableRtpParameters), peerCapabilities, ssrcGenerator ?? RandomSsrc));

    private static JsonObject Build(JsValue consumable, JsValue peer, Func<long> nextSsrc)
    {
        var (codecs, rtxSupported) = Codecs(consumable, peer);
        var headerExtensions = HeaderExtensions(consumable, peer);

        var encoding = new JsonObject { ["ssrc"] = nextSsrc() };
        if (rtxSupported)
        {
            encoding["rtx"] = new JsonObject { ["ssrc"] = nextSsrc() };
        }

        var consumer = new JsonObject
        {
            ["codecs"] = codecs,
            ["headerExtensions"] = headerExtensions,
            ["encodings"] = new JsonArray(encoding),
        };
        JsObjects.CopyIfDefined(consumer, "rtcp", consumable);
        return consumer;
    }

    private static (JsonArray Codecs, bool RtxSupported) Codecs(JsValue consumable, JsValue peer)
    {
        var consumableCodecs = consumable.Get("codecs");
        if (consumableCodecs.Type != JsType.Array)
        {
            // The reference iterates utils.cloneObject(codecs), which makes {} of anything but an
            // object and a copy of an object: only an array can be iterated.
            throw MediasoupError.Type("consumableCodecs is not iterable");
        }

        var codecs = new JsonArray();
        var rtxSupported = false;

        // The reference works on the JSON copy, so a value JSON cannot hold (1e400) is already null
        // when it is matched and read. Our consumables never hold one (a caller's might): the copy,
        // made for every consumer, is only needed then.
        var copied = JsValue.HoldsNonFiniteNumber(consumableCodecs.Node) ? JsValue.From(JsValue.JsonCopy(consumableCodecs.Node)) : consumableCodecs;
        foreach (var codec in JsArrays.Iterate(copied, "consumableCodecs"))
        {
            // By payload type only: no name or kind check, and the first peer entry wins.
            var peerCodec = JsArrays.Find(peer.Get("codecs"), "rtpCapabilities.codecs",
                candidate => candidate.Get("preferredPayloadType").StrictEquals(codec.Get("payloadType")));
            if (!peerCodec.IsTruthy)
            {
                continue;
            }

            // The peer's reduced list in the peer's order; absent on the peer means absent here.
            // ortc.js is sloppy-mode code: the assignment is silently lost on a primitive, and an
            // array's named property never reaches JSON, so those are kept as they are.
            var kept = codec.CloneNode();
            if (kept is JsonObject keptObject)
            {
                JsObjects.SetOrRemove(keptObject, "rtcpFeedback", peerCodec.Get("rtcpFeedback"));
            }

            codecs.Add(kept);

            if (!rtxSupported && ProducerRtpMapping.IsRtx(codec))
            {
                rtxSupported = true;
            }
        }

        return (codecs, rtxSupported);
    }

    private static JsonArray HeaderExtensions(JsValue consumable, JsValue peer)
    {
        // Two passes, as the reference chains two filter() calls: every extension's uri is read
        // before the peer's headerExtensions is, which decides the error a malformed input gets.
        var withoutMid = JsArrays.Filter(consumable.Get("headerExtensions"), "consumableRtpParameters.headerExtensions", extension =>
            !(extension.Get("uri").TryGetString(out var uri) && uri == ConsumableRtpParameters.MidExtensionUri));

        var extensions = new JsonArray();
        foreach (var extension in withoutMid)
        {
            if (JsArrays.Some(peer.Get("headerExtensions"), "rtpCapabilities.headerExtensions",
                candidate => candidate.Get("preferredId").StrictEquals(extension.Get("id"))))
            {
                extensions.Add(extension.CloneNode());
            }
        }

        return extensions;
    }
}
