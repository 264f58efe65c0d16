using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Coordinator.Protocol.Ortc;
using Coordinator.Silo.Hosting;

namespace Coordinator.Benchmarks;

/// <summary>
/// The ORTC work of the signaling path with real Chromium inputs: Room capabilities (room creation),
/// the join subset check, producer mapping and consumable parameters (createProducer), and the
/// per-consumer parameters (once per receiving peer, so 100 times for a join into a room of 50 publishers).
/// </summary>
[MemoryDiagnoser]
public class OrtcBenchmarks
{
    private JsonNode _mediaCodecs = null!;
    private JsonObject _roomCapabilities = null!;
    private JsonNode _chromiumCapabilities = null!;
    private JsonNode _videoParameters = null!;
    private JsonNode _audioParameters = null!;
    private JsonObject _videoConsumable = null!;
    private JsonObject _audioConsumable = null!;

    [GlobalSetup]
    public void Setup()
    {
        _mediaCodecs = JsonNode.Parse(RoomSettingsLoader.DefaultMediaCodecs)!;
        _roomCapabilities = RoomCapabilities.Generate(_mediaCodecs);
        _chromiumCapabilities = Inputs.Sent("alice", "join")["rtpCapabilities"]!;
        _videoParameters = Inputs.CreateProducer("video")["rtpParameters"]!;
        _audioParameters = Inputs.CreateProducer("audio")["rtpParameters"]!;
        _videoConsumable = Consumable(_videoParameters);
        _audioConsumable = Consumable(_audioParameters);
    }

    [Benchmark(Description = "Room capabilities: generate (demo codecs)")]
    public JsonObject RoomCapabilitiesGenerate() => RoomCapabilities.Generate(_mediaCodecs);

    [Benchmark(Description = "join: Chromium capabilities subset check")]
    public JsonObject CapabilitiesSubsetCheck()
    {
        CapabilitiesSubset.Assert(_chromiumCapabilities, _roomCapabilities);
        return _roomCapabilities;
    }

    [Benchmark(Description = "createProducer: mapping + consumable (Chromium video)")]
    public JsonObject ProducerMappingVideo() => Consumable(_videoParameters);

    [Benchmark(Description = "createProducer: mapping + consumable (Chromium audio)")]
    public JsonObject ProducerMappingAudio() => Consumable(_audioParameters);

    [Benchmark(Description = "consumer RTP parameters (Chromium video → Chromium peer)")]
    public JsonObject ConsumerParametersVideo() => ConsumerRtpParameters.Compute(_videoConsumable, _chromiumCapabilities);

    [Benchmark(Description = "consumer RTP parameters (Chromium audio → Chromium peer)")]
    public JsonObject ConsumerParametersAudio() => ConsumerRtpParameters.Compute(_audioConsumable, _chromiumCapabilities);

    private JsonObject Consumable(JsonNode parameters) =>
        ConsumableRtpParameters.Compute(parameters, _roomCapabilities, ProducerRtpMapping.Compute(parameters, _roomCapabilities));
}
