using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Protocol.Messages;

namespace Coordinator.Protocol.Ortc;

/// <summary>
/// What <see cref="ConsumerRtpParameters.Compute(JsonObject, JsonNode?, Func{long}?)"/> gives one
/// producer's consumers for one set of peer capabilities, computed once. The codecs, header
/// extensions and rtcp are the same for every such consumer; only the SSRCs are drawn for each.
/// A room computes this once per producer and capability set instead of once per consumer: every
/// peer of one browser build sends the same capabilities.
/// </summary>
public sealed class ConsumerRtpTemplate
{
    private readonly byte[] _codecs;
    private readonly byte[] _headerExtensions;
    private readonly bool _rtx;
    private readonly byte[]? _rtcp;

    private ConsumerRtpTemplate(JsonObject computed)
    {
        // Serialized as JsJson.Freeze serializes the whole object, so an instance is the same text.
        _codecs = JsonSerializer.SerializeToUtf8Bytes(computed["codecs"]);
        _headerExtensions = JsonSerializer.SerializeToUtf8Bytes(computed["headerExtensions"]);
        _rtx = computed["encodings"]![0]!.AsObject().ContainsKey("rtx");
        _rtcp = computed.TryGetPropertyValue("rtcp", out var rtcp) ? JsonSerializer.SerializeToUtf8Bytes(rtcp) : null;
    }

    /// <summary>Computes the template; throws what <see cref="ConsumerRtpParameters.Compute(JsonObject, JsonNode?, Func{long}?)"/> throws.</summary>
    public static ConsumerRtpTemplate Compute(JsonObject consumableRtpParameters, JsonNode? peerCapabilities) =>
        Compute(consumableRtpParameters, JsValue.From(peerCapabilities));

    /// <inheritdoc cref="Compute(JsonObject, JsonNode?)"/>
    public static ConsumerRtpTemplate Compute(JsonObject consumableRtpParameters, JsValue peerCapabilities) =>
        new(ConsumerRtpParameters.Compute(consumableRtpParameters, peerCapabilities, static () => ConsumerRtpParameters.MinSsrc));

    /// <summary>
    /// One consumer's parameters: <c>{codecs, headerExtensions, encodings:[{ssrc, rtx?}], rtcp?}</c>, with
    /// SSRCs from <paramref name="ssrcGenerator"/> (default <see cref="ConsumerRtpParameters.RandomSsrc"/>),
    /// the media SSRC first.
    /// </summary>
    public JsonElement Instantiate(Func<long>? ssrcGenerator = null)
    {
        var nextSsrc = ssrcGenerator ?? ConsumerRtpParameters.RandomSsrc;
        var ssrc = nextSsrc();
        var rtxSsrc = _rtx ? nextSsrc() : 0;
        return JsonBuilder.Object(writer =>
        {
            writer.WritePropertyName("codecs");
            writer.WriteRawValue(_codecs, skipInputValidation: true);
            writer.WritePropertyName("headerExtensions");
            writer.WriteRawValue(_headerExtensions, skipInputValidation: true);
            writer.WriteStartArray("encodings");
            writer.WriteStartObject();
            writer.WriteNumber("ssrc", ssrc);
            if (_rtx)
            {
                writer.WriteStartObject("rtx");
                writer.WriteNumber("ssrc", rtxSsrc);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            if (_rtcp is not null)
            {
                writer.WritePropertyName("rtcp");
                writer.WriteRawValue(_rtcp, skipInputValidation: true);
            }
        });
    }
}
