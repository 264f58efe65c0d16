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

    /// <summary>A protoo error response with exactly this code and reason.</summary>
    public static void ErrorResponse(JsonElement response, int code, string reason)
    {
        Assert.True(response.TryGetProperty("response", out var isResponse) && isResponse.ValueKind == JsonValueKind.True, response.ToString());
        Assert.False(response.TryGetProperty("ok", out _), response.ToString());
        Assert.Equal(code, response.GetProperty("errorCode").GetInt32());
        Assert.Equal(reason, response.GetProperty("errorReason").GetString());
    }
}
