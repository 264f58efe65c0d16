using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Ortc;

/// <summary>generateRoomRtpCapabilities (docs/protocol.md#ortc): a Room's capabilities from its mediaCodecs config.</summary>
public static class RoomCapabilities
{
    /// <summary>
    /// Builds <c>{codecs, headerExtensions, fecMechanisms}</c>. Throws <see cref="MediasoupError"/>
    /// with the reference texts. A C# null is JSON <c>null</c>.
    /// </summary>
    public static JsonObject Generate(JsonNode? mediaCodecs) => Generate(JsValue.From(mediaCodecs));

    public static JsonObject Generate(JsValue mediaCodecs) => JsGuard.Run(() => Build(mediaCodecs));

    private static JsonObject Build(JsValue mediaCodecs)
    {
        if (mediaCodecs.Type != JsType.Array)
        {
            throw MediasoupError.Type("mediaCodecs must be an Array");
        }

        if (((JsonArray)mediaCodecs.Node!).Count == 0)
        {
            throw MediasoupError.Type("mediaCodecs cannot be empty");
        }

        var supportedCodecs = SupportedRtpCapabilities.Codecs();
        var codecs = new JsonArray();
        var payloadTypes = new DynamicPayloadTypeAllocator();

        foreach (var mediaCodec in JsArrays.Iterate(mediaCodecs, "mediaCodecs"))
        {
            AssertCodecCapability(mediaCodec);

            var supported = JsArrays.Find(
                JsValue.From(supportedCodecs), "supportedCodecs", entry => CodecMatching.MatchCodecs(mediaCodec, entry));
            if (!supported.IsTruthy)
            {
                throw MediasoupError.Error($"RoomMediaCodec not supported [name:{JsText.Of(mediaCodec.Get("name"))}]");
            }

            var codec = (JsonObject)supported.Node!.DeepClone();
            var isAudio = codec["kind"]?.GetValue<string>() == "audio";
            if (!isAudio)
            {
                codec.Remove("channels");
            }
            else if (!JsValue.From(codec["channels"]).IsTruthy)
            {
                codec["channels"] = 1;
            }

            codec["parameters"] = JsObjects.Assign(codec["parameters"], mediaCodec.Get("parameters"));

            if (!JsValue.From(codec["rtcpFeedback"]).IsTruthy)
            {
                codec["rtcpFeedback"] = new JsonArray();
            }

            // Static PTs (PCMU 0, PCMA 8, G722 9, CN 13) come from the table; configured PTs are ignored.
            if (JsValue.From(codec["preferredPayloadType"]).Type != JsType.Number)
            {
                codec["preferredPayloadType"] = payloadTypes.Next();
            }

            codecs.Add(codec);

            if (codec["kind"]?.GetValue<string>() == "video")
            {
                codecs.Add(RtxFor(codec, payloadTypes.Next()));
            }
        }

        return new JsonObject
        {
            ["codecs"] = codecs,
            ["headerExtensions"] = SupportedRtpCapabilities.HeaderExtensions(),
            ["fecMechanisms"] = new JsonArray(),
        };
    }

    /// <summary>
    /// An object (null passes this test in JS and then fails reading <c>kind</c>) with non-empty string
    /// kind and name and a non-zero numeric clockRate.
    /// </summary>
    private static void AssertCodecCapability(JsValue codec)
    {
        var valid = codec.TypeOf == "object" && codec.Type != JsType.Array
            && IsNonEmptyString(codec.Get("kind"))
            && IsNonEmptyString(codec.Get("name"))
            && codec.Get("clockRate") is var clockRate && clockRate.Type == JsType.Number && clockRate.IsTruthy;
        if (!valid)
        {
            throw MediasoupError.Type("invalid RTCCodecCapability");
        }
    }

    private static bool IsNonEmptyString(JsValue value) => value.Type == JsType.String && value.IsTruthy;

    // No rtcpFeedback key: the reference's generated rtx entry has none.
    private static JsonObject RtxFor(JsonObject codec, int payloadType) => new()
    {
        ["kind"] = codec["kind"]!.DeepClone(),
        ["name"] = "rtx",
        ["mimeType"] = $"{codec["kind"]!.GetValue<string>()}/rtx",
        ["preferredPayloadType"] = payloadType,
        ["clockRate"] = codec["clockRate"]?.DeepClone(),
        ["parameters"] = new JsonObject { ["apt"] = codec["preferredPayloadType"]!.DeepClone() },
    };

    private sealed class DynamicPayloadTypeAllocator
    {
        private int next;

        public int Next() => next < SupportedRtpCapabilities.DynamicPayloadTypes.Length
            ? SupportedRtpCapabilities.DynamicPayloadTypes[next++]
            : throw MediasoupError.Error("cannot allocate more dynamic codec payload types");
    }
}
