using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Grains.Tests;

internal static class JsonExpect
{
    /// <summary>Strict JSON equality: types and values exact, key order ignored, array order kept.</summary>
    public static void Equal(string expectedJson, JsonElement? actual)
    {
        var expected = JsonNode.Parse(expectedJson);
        var actualNode = actual is { } element ? JsonNode.Parse(element.GetRawText()) : null;
        Assert.True(JsonNode.DeepEquals(expected, actualNode), $"expected {expected?.ToJsonString()}\nactual   {actualNode?.ToJsonString()}");
    }
}
