using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Protocol.Ortc;
using Coordinator.Silo.Hosting;
using Coordinator.TestSupport;

namespace Coordinator.MediaPlane.Tests.Contract;

/// <summary>
/// What a Room would send the media plane for the captured Chromium session: alice's real audio and
/// video producers with their mapping to the default room codecs, and the consumer parameters for
/// bob's and carol's real join capabilities.
/// </summary>
public static class CapturedMedia
{
    public static readonly JsonObject RoomCapabilities =
        Protocol.Ortc.RoomCapabilities.Generate(JsonNode.Parse(RoomSettingsLoader.DefaultMediaCodecs));

    /// <summary>alice's send transport <c>dtlsParameters</c> (role server, one sha-256 fingerprint).</summary>
    public static JsonElement SendTransportDtls => CapturedSession.Sent("alice", "createTransport").GetProperty("dtlsParameters");

    /// <summary>bob's <c>updateTransport</c> for his recv transport (role client).</summary>
    public static JsonElement RecvTransportDtls => CapturedSession.Sent("bob", "updateTransport").GetProperty("dtlsParameters");

    public static CapturedProducer AliceAudio => CapturedProducer.From(CapturedSession.SentAll("alice", "createProducer")[0]);

    public static CapturedProducer AliceVideo => CapturedProducer.From(CapturedSession.SentAll("alice", "createProducer")[1]);
}

/// <summary>One captured <c>createProducer</c>, with what the Room computes from it.</summary>
public sealed record CapturedProducer(string Kind, JsonElement RtpParameters, JsonElement RtpMapping, JsonObject Consumable)
{
    public static CapturedProducer From(JsonElement createProducer)
    {
        var parameters = JsonNode.Parse(createProducer.GetProperty("rtpParameters").GetRawText());
        var mapping = ProducerRtpMapping.Compute(parameters, CapturedMedia.RoomCapabilities);
        var consumable = ConsumableRtpParameters.Compute(parameters, CapturedMedia.RoomCapabilities, mapping);
        return new CapturedProducer(
            createProducer.GetProperty("kind").GetString()!,
            JsonSerializer.SerializeToElement(parameters),
            JsonSerializer.SerializeToElement(mapping.ToWorkerJson()),
            consumable);
    }

    /// <summary>The consumer RtpParameters for a peer's captured join capabilities (e.g. bob, carol).</summary>
    public JsonElement ConsumerParametersFor(string peer) =>
        JsonSerializer.SerializeToElement(ConsumerRtpParameters.Compute(
            Consumable, JsonNode.Parse(CapturedSession.Sent(peer, "join").GetProperty("rtpCapabilities").GetRawText())));

    /// <summary>The same parameters with other ssrcs, for a second producer on the same transport.</summary>
    public JsonElement RtpParametersWithSsrcOffset(long offset, string? muxId)
    {
        var parameters = JsonNode.Parse(RtpParameters.GetRawText())!.AsObject();
        foreach (var encoding in parameters["encodings"]!.AsArray().OfType<JsonObject>())
        {
            encoding["ssrc"] = encoding["ssrc"]!.GetValue<long>() + offset;
            if (encoding["rtx"] is JsonObject rtx)
            {
                rtx["ssrc"] = rtx["ssrc"]!.GetValue<long>() + offset;
            }
        }

        if (muxId is null)
        {
            parameters.Remove("muxId");
        }
        else
        {
            parameters["muxId"] = muxId;
        }

        return JsonSerializer.SerializeToElement(parameters);
    }
}
