using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Gateway.Tests;

internal static class JsonExpect
{
    /// <summary>Strict JSON equality: types and values exact, key order ignored, array order kept.</summary>
    public static void Equal(string expectedJson, JsonElement actual) => Equal(JsonNode.Parse(expectedJson), actual);

    public static void Equal(JsonNode? expected, JsonElement actual)
    {
        var actualNode = JsonNode.Parse(actual.GetRawText());
        Assert.True(JsonNode.DeepEquals(expected, actualNode), $"expected {expected?.ToJsonString()}\nactual   {actualNode?.ToJsonString()}");
    }
}
