using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Coordinator.Protocol.Ortc;
using Coordinator.TestSupport;
using Xunit;

namespace Coordinator.Protocol.Tests.Ortc;

/// <summary>Loads the golden ORTC vectors of <c>tests/data/ortc/</c> (read-only; their format is in tests/data/README.md).</summary>
internal static class OrtcVectors
{
    public const string RoomCapabilitiesFile = "room-capabilities.json";
    public const string CapabilitiesSubsetFile = "capabilities-subset.json";
    public const string ProducerMappingFile = "producer-mapping.json";
    public const string ConsumerParametersFile = "consumer-parameters.json";
    public const string SupportedCapabilitiesFile = "supported-rtp-capabilities.json";

    private static readonly ConcurrentDictionary<string, JsonObject> Files = new();

    public static JsonObject File(string fileName) =>
        Files.GetOrAdd(fileName, name =>
            JsonNode.Parse(System.IO.File.ReadAllText(TestData.File("ortc", name)))!.AsObject());

    public static IReadOnlyList<JsonObject> Cases(string fileName) =>
        [.. File(fileName)["cases"]!.AsArray().Select(node => node!.AsObject())];

    /// <summary>xunit data: one row per case, identified by its unique name.</summary>
    public static TheoryData<string> CaseNames(string fileName)
    {
        var data = new TheoryData<string>();
        foreach (var @case in Cases(fileName))
        {
            data.Add(@case["name"]!.GetValue<string>());
        }

        return data;
    }

    /// <summary>A fresh copy of one case, so a test can check its input was left unchanged.</summary>
    public static JsonObject Case(string fileName, string name) =>
        Cases(fileName).Single(@case => @case["name"]!.GetValue<string>() == name).DeepClone().AsObject();

    /// <summary>An input field as the reference saw it: absent is undefined, a JSON null is null.</summary>
    public static JsValue Argument(JsonObject input, string key) =>
        input.TryGetPropertyValue(key, out var value) ? JsValue.From(value) : JsValue.Undefined;

    public static bool IsError(JsonObject @case) => @case.ContainsKey("error");

    /// <summary>
    /// Checks a rejection against the case: always the JS class; the exact text only for
    /// <c>errorKind: explicit</c> (runtime texts are V8's own).
    /// </summary>
    public static void AssertMatchesError(JsonObject @case, MediasoupError error)
    {
        var expectedClass = Enum.Parse<ErrorClass>(@case["errorType"]!.GetValue<string>());
        Assert.Equal(expectedClass, error.Class);
        if (@case["errorKind"]!.GetValue<string>() == "explicit")
        {
            Assert.Equal(@case["error"]!.GetValue<string>(), error.Message);
        }
    }
}
