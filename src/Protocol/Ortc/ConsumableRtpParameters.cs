using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Ortc;

/// <summary>
/// getConsumableRtpParameters (docs/protocol.md#ortc): a producer's parameters restated in Room terms, computed
/// once per producer and used for every consumer of it.
/// </summary>
public static class ConsumableRtpParameters
{
    internal const string MidExtensionUri = "urn:ietf:params:rtp-hdrext:sdes:mid";

    /// <summary>
    /// Returns <c>{codecs, headerExtensions, encodings?, rtcp?}</c>. Codecs and extensions come from the
    /// Room (so the Room's rtx follows each media codec whether or not the producer sent rtx);
    /// encodings and rtcp are the producer's, copied, and stay absent when it left them out.
    /// </summary>
    public static JsonObject Compute(JsonNode? rtpParameters, JsonObject roomCapabilities, ProducerRtpMapping mapping) =>
        Compute(JsValue.From(rtpParameters), roomCapabilities, mapping);

    public static JsonObject Compute(JsValue rtpParameters, JsonObject roomCapabilities, ProducerRtpMapping mapping) =>
        JsGuard.Run(() => Build(rtpParameters, JsValue.From(roomCapabilities), mapping));

    private static JsonObject Build(JsValue parameters, JsValue room, ProducerRtpMapping mapping)
    {
        var consumable = new JsonObject
        {
            ["codecs"] = Codecs(parameters, room, mapping),
            ["headerExtensions"] = HeaderExtensions(parameters, room, mapping),
        };
        JsObjects.CopyIfDefined(consumable, "encodings", parameters);
        JsObjects.CopyIfDefined(consumable, "rtcp", parameters);
        return consumable;
    }

    private static JsonArray Codecs(JsValue parameters, JsValue room, ProducerRtpMapping mapping)
    {
        var roomCodecs = room.Get("codecs");
        var codecs = new JsonArray();

        foreach (var codec in JsArrays.Iterate(parameters.Get("codecs"), "params.codecs"))
        {
            if (ProducerRtpMapping.IsRtx(codec))
            {
                continue;
            }

            var payloadType = codec.Get("payloadType");
            if (!mapping.CodecPayloadTypes.Has(payloadType))
            {
                throw MediasoupError.Error($"codec payloadType mapping not found [name:{JsText.Of(codec.Get("name"))}]");
            }

            var roomPayloadType = mapping.CodecPayloadTypes.Get(payloadType);
            var roomCodec = JsArrays.Find(roomCodecs, "caps.codecs",
                candidate => candidate.Get("preferredPayloadType").StrictEquals(roomPayloadType));
            if (!roomCodec.IsTruthy)
            {
                throw MediasoupError.Error($"capabilities codec not found [name:{JsText.Of(codec.Get("name"))}]");
            }

            var consumableCodec = FromRoomCodec(roomCodec);
            codecs.Add(consumableCodec);

            var roomRtx = JsArrays.Find(roomCodecs, "caps.codecs", candidate =>
                ProducerRtpMapping.IsRtx(candidate, "capRtxCodec")
                && candidate.Get("parameters").Get("apt").StrictEquals(roomCodec.Get("preferredPayloadType")));
            if (roomRtx.IsTruthy)
            {
                codecs.Add(FromRoomCodec(roomRtx));
            }
        }

        return codecs;
    }

    /// <summary>
    /// {name, mimeType, clockRate, payloadType, channels?, rtcpFeedback, parameters}, all the Room's.
    /// Falsy channels are dropped; keys the Room codec lacks (rtx has no rtcpFeedback) stay absent.
    /// </summary>
    private static JsonObject FromRoomCodec(JsValue roomCodec)
    {
        var codec = new JsonObject();
        JsObjects.CopyIfDefined(codec, "name", roomCodec);
        JsObjects.CopyIfDefined(codec, "mimeType", roomCodec);
        JsObjects.CopyIfDefined(codec, "clockRate", roomCodec);
        JsObjects.SetOrRemove(codec, "payloadType", roomCodec.Get("preferredPayloadType"));
        if (roomCodec.Get("channels").IsTruthy)
        {
            JsObjects.CopyIfDefined(codec, "channels", roomCodec);
        }

        JsObjects.CopyIfDefined(codec, "rtcpFeedback", roomCodec);
        JsObjects.CopyIfDefined(codec, "parameters", roomCodec);
        return codec;
    }

    private static JsonArray HeaderExtensions(JsValue parameters, JsValue room, ProducerRtpMapping mapping)
    {
        var extensions = new JsonArray();

        foreach (var extension in JsArrays.IterateOrEmpty(parameters.Get("headerExtensions")))
        {
            var uri = extension.Get("uri");
            if (uri.TryGetString(out var uriText) && uriText == MidExtensionUri)
            {
                continue;
            }

            var id = extension.Get("id");
            if (!mapping.HeaderExtensionIds.Has(id))
            {
                throw MediasoupError.Error($"extension header id mapping not found [uri:{JsText.Of(uri)}]");
            }

            var roomId = mapping.HeaderExtensionIds.Get(id);
            var roomExtension = JsArrays.Find(room.Get("headerExtensions"), "caps.headerExtensions",
                candidate => candidate.Get("preferredId").StrictEquals(roomId));
            if (!roomExtension.IsTruthy)
            {
                throw MediasoupError.Error($"capabilities header extension not found [uri:{JsText.Of(uri)}]");
            }

            // The Room's uri: two producer extensions sharing an id both come out as the one that won the map.
            var consumableExtension = new JsonObject();
            JsObjects.CopyIfDefined(consumableExtension, "uri", roomExtension);
            JsObjects.SetOrRemove(consumableExtension, "id", roomExtension.Get("preferredId"));
            extensions.Add(consumableExtension);
        }

        return extensions;
    }
}
