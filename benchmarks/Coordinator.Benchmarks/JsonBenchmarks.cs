using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Benchmarks;

/// <summary>
/// JSON of the large messages: a join response with 100 consumers (a room of 50 publishers: the
/// gateway writes it, a client parses it) and a captured Chromium createProducer request (the
/// gateway parses it with its protoo reader, which also validates every string).
/// </summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private JsonObject _joinResponseNode = null!;
    private JsonElement _joinResponseData;
    private byte[] _joinResponseFrame = null!;
    private byte[] _createProducerFrame = null!;
    private JsonElement _newConsumer;
    private JsonElement _requestId;

    [GlobalSetup]
    public void Setup()
    {
        _joinResponseNode = Inputs.JoinResponseData(50);
        _joinResponseData = JsonSerializer.SerializeToElement(_joinResponseNode);
        _requestId = JsonSerializer.SerializeToElement(7);
        _joinResponseFrame = ProtooFrames.Success(_requestId, _joinResponseData);
        var createProducer = new JsonObject
        {
            ["request"] = true,
            ["id"] = 5,
            ["method"] = ProtooFrames.MediasoupRequest,
            ["data"] = Inputs.CreateProducer("video"),
        };
        _createProducerFrame = Encoding.UTF8.GetBytes(createProducer.ToJsonString());
        var consumer = (JsonObject)Inputs.CapturedJoinConsumers().Single(c => (string?)c["kind"] == "video").DeepClone();
        var notification = new JsonObject { ["method"] = "newConsumer", ["target"] = "peer", ["notification"] = true };
        foreach (var (key, value) in consumer)
        {
            notification[key] = value?.DeepClone();
        }

        _newConsumer = JsonSerializer.SerializeToElement(notification);
        Console.WriteLine($"// join response frame: {_joinResponseFrame.Length} bytes, 100 consumers; createProducer frame: {_createProducerFrame.Length} bytes");
    }

    [Benchmark(Description = "join response (100 consumers): gateway writes the protoo frame")]
    public byte[] WriteJoinResponseFrame() => ProtooFrames.Success(_requestId, _joinResponseData);

    [Benchmark(Description = "join response (100 consumers): JsonNode → UTF-8")]
    public byte[] SerializeJoinResponseNode() => JsonSerializer.SerializeToUtf8Bytes(_joinResponseNode);

    [Benchmark(Description = "join response (100 consumers): JsonDocument.Parse")]
    public int ParseJoinResponseDocument()
    {
        using var document = JsonDocument.Parse(_joinResponseFrame);
        return document.RootElement.GetProperty("data").GetProperty("peers").GetArrayLength();
    }

    [Benchmark(Description = "join response (100 consumers): JsonNode.Parse")]
    public JsonNode? ParseJoinResponseNode() => JsonNode.Parse(_joinResponseFrame);

    [Benchmark(Description = "createProducer (Chromium video): gateway ProtooMessage.Parse")]
    public ProtooMessage? ParseCreateProducerFrame() => ProtooMessage.Parse(_createProducerFrame, 32, out _);

    [Benchmark(Description = "createProducer (Chromium video): JsonNode.Parse")]
    public JsonNode? ParseCreateProducerNode() => JsonNode.Parse(_createProducerFrame);

    [Benchmark(Description = "newConsumer (video): gateway writes the notification frame")]
    public byte[] WriteNewConsumerFrame() => ProtooFrames.Notification(_newConsumer, 42);
}
