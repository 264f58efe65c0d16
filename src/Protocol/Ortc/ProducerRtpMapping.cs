using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Ortc;

/// <summary>
/// getProducerRtpParametersMapping (docs/protocol.md#ortc): which Room payload type and header extension id
/// each producer value stands for. Keys refer to the producer's own JSON values (JS Map keys are
/// identities), so keep the producer parameters unchanged while the mapping is in use.
/// </summary>
public sealed class ProducerRtpMapping
{
    private const string RtxName = "rtx";

    private ProducerRtpMapping(JsMap codecPayloadTypes, JsMap headerExtensionIds)
    {
        CodecPayloadTypes = codecPayloadTypes;
        HeaderExtensionIds = headerExtensionIds;
    }

    /// <summary>producer PT → Room PT: media codecs in producer order, then rtx codecs.</summary>
    public JsMap CodecPayloadTypes { get; }

    /// <summary>producer extension id → Room extension id, in producer order.</summary>
    public JsMap HeaderExtensionIds { get; }

    /// <summary>Throws <see cref="MediasoupError"/> with the reference texts when the parameters do not fit the Room.</summary>
    public static ProducerRtpMapping Compute(JsonNode? rtpParameters, JsonObject roomCapabilities) =>
        Compute(JsValue.From(rtpParameters), roomCapabilities);

    public static ProducerRtpMapping Compute(JsValue rtpParameters, JsonObject roomCapabilities) =>
        JsGuard.Run(() => Build(rtpParameters, JsValue.From(roomCapabilities)));

    /// <summary>
    /// The rejection the reference sends for a failed createProducer:
    /// <c>Error: wrong RTP parameters: &lt;Class&gt;: &lt;text&gt;</c>.
    /// </summary>
    public static MediasoupError WrongRtpParameters(MediasoupError inner) =>
        MediasoupError.Error($"wrong RTP parameters: {inner.Reason}");

    /// <summary>The worker's <c>rtpMapping</c>: <c>{codecPayloadTypes:[[a,b]…], headerExtensionIds:[[a,b]…]}</c>.</summary>
    public JsonObject ToWorkerJson() => new()
    {
        ["codecPayloadTypes"] = PairsJson(CodecPayloadTypes),
        ["headerExtensionIds"] = PairsJson(HeaderExtensionIds),
    };

    /// <summary>A map as <c>[[key, value], …]</c>; undefined becomes null, as JSON.stringify does inside arrays.</summary>
    public static JsonArray PairsJson(JsMap map)
    {
        var pairs = new JsonArray();
        foreach (var (key, value) in map.Entries)
        {
            pairs.Add(new JsonArray(key.CloneNode(), value.CloneNode()));
        }

        return pairs;
    }

    /// <summary><c>&lt;receiver&gt;.name.toLowerCase() === 'rtx'</c>; the receiver's name is in V8's error text.</summary>
    internal static bool IsRtx(JsValue codec, string receiver = "codec") => CodecMatching.LowerCaseName(codec, receiver) == RtxName;

    private static ProducerRtpMapping Build(JsValue parameters, JsValue room)
    {
        var producerCodecs = parameters.Get("codecs");
        var roomCodecs = room.Get("codecs");

        // Keyed by the producer codec object itself, so its insertion order is media codecs, then rtx.
        var codecToRoomCodec = new JsMap();

        foreach (var codec in JsArrays.Iterate(producerCodecs, "params.codecs"))
        {
            if (IsRtx(codec))
            {
                continue;
            }

            // Producer codecs normally carry no kind, so only the Room side's kind counts.
            var roomCodec = JsArrays.Find(roomCodecs, "caps.codecs", candidate => CodecMatching.MatchCodecs(codec, candidate));
            if (!roomCodec.IsTruthy)
            {
                throw MediasoupError.Error(
                    $"unsupported codec [name:{JsText.Of(codec.Get("name"))}, payloadType:{JsText.Of(codec.Get("payloadType"))}]");
            }

            codecToRoomCodec.Set(codec, roomCodec);
        }

        foreach (var rtx in JsArrays.Iterate(producerCodecs, "params.codecs"))
        {
            if (!IsRtx(rtx))
            {
                continue;
            }

            var associated = JsArrays.Find(producerCodecs, "params.codecs", candidate =>
                candidate.Get("payloadType").StrictEquals(rtx.Get("parameters").Get("apt")));
            var roomMediaCodec = codecToRoomCodec.Get(associated);
            if (!roomMediaCodec.IsTruthy)
            {
                throw MediasoupError.Error($"no media codec found for RTX PT {JsText.Of(rtx.Get("payloadType"))}");
            }

            var roomRtx = JsArrays.Find(roomCodecs, "caps.codecs", candidate =>
                IsRtx(candidate, "capCodec")
                && candidate.Get("parameters").Get("apt").StrictEquals(roomMediaCodec.Get("preferredPayloadType")));
            if (!roomRtx.IsTruthy)
            {
                throw MediasoupError.Error(
                    "no RTX codec found in capabilities " +
                    $"[capabilities codec PT:{JsText.Of(roomMediaCodec.Get("preferredPayloadType"))}]");
            }

            codecToRoomCodec.Set(rtx, roomRtx);
        }

        var payloadTypes = new JsMap();
        foreach (var (codec, roomCodec) in codecToRoomCodec.Entries)
        {
            payloadTypes.Set(codec.Get("payloadType"), roomCodec.Get("preferredPayloadType"));
        }

        var extensionIds = new JsMap();
        foreach (var extension in JsArrays.IterateOrEmpty(parameters.Get("headerExtensions")))
        {
            // Unknown extensions are rejected here rather than dropped; the first Room entry wins.
            var roomExtension = JsArrays.Find(room.Get("headerExtensions"), "caps.headerExtensions",
                candidate => CodecMatching.MatchHeaderExtensions(extension, candidate));
            if (!roomExtension.IsTruthy)
            {
                throw MediasoupError.Error(
                    $"unsupported header extensions [uri:\"{JsText.Of(extension.Get("uri"))}\", id:{JsText.Of(extension.Get("id"))}]");
            }

            extensionIds.Set(extension.Get("id"), roomExtension.Get("preferredId"));
        }

        return new ProducerRtpMapping(payloadTypes, extensionIds);
    }
}
