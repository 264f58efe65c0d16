using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Coordinator.Protocol.Tests;

/// <summary>
/// Strict JSON equality for golden vectors: JSON types must match exactly (1 and "1" differ, true
/// and 1 differ), numbers compare by value (1 equals 1.0), object key order is ignored, array order
/// is significant, and an absent key differs from a key holding null.
/// </summary>
public static class JsonAssert
{
    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        if (FindDifference(expected, actual) is { } difference)
        {
            throw new XunitException($"JSON differs at {difference}");
        }
    }

    /// <summary>The first difference as "path: expected … but found …", or null when equal.</summary>
    public static string? FindDifference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        var expectedKind = KindOf(expected);
        var actualKind = KindOf(actual);
        if (expectedKind != actualKind)
        {
            return Describe(path, expected, actual);
        }

        return expectedKind switch
        {
            JsonValueKind.Object => ObjectDifference((JsonObject)expected!, (JsonObject)actual!, path),
            JsonValueKind.Array => ArrayDifference((JsonArray)expected!, (JsonArray)actual!, path),
            JsonValueKind.Number => NumbersEqual(expected!, actual!) ? null : Describe(path, expected, actual),
            JsonValueKind.String => expected!.GetValue<string>() == actual!.GetValue<string>() ? null : Describe(path, expected, actual),
            _ => null, // null, true, false: the kind is the value
        };
    }

    /// <summary>Fails when any node reachable from <paramref name="output"/> is also reachable from <paramref name="input"/>.</summary>
    public static void SharesNoNodes(JsonNode? input, JsonNode? output)
    {
        var inputNodes = new HashSet<JsonNode>(ReferenceEqualityComparer.Instance);
        foreach (var node in Walk(input))
        {
            inputNodes.Add(node);
        }

        foreach (var node in Walk(output))
        {
            if (inputNodes.Contains(node))
            {
                throw new XunitException($"output shares a node with the input at {node.GetPath()}");
            }
        }
    }

    private static IEnumerable<JsonNode> Walk(JsonNode? node)
    {
        if (node is null)
        {
            yield break;
        }

        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(pair => pair.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var descendant in Walk(child))
            {
                yield return descendant;
            }
        }
    }

    private static string? ObjectDifference(JsonObject expected, JsonObject actual, string path)
    {
        foreach (var (key, expectedValue) in expected)
        {
            var childPath = $"{path}.{key}";
            if (!actual.TryGetPropertyValue(key, out var actualValue))
            {
                return $"{childPath}: expected {Text(expectedValue)} but the key is absent";
            }

            if (FindDifference(expectedValue, actualValue, childPath) is { } difference)
            {
                return difference;
            }
        }

        foreach (var (key, actualValue) in actual)
        {
            if (!expected.ContainsKey(key))
            {
                return $"{path}.{key}: expected the key to be absent but found {Text(actualValue)}";
            }
        }

        return null;
    }

    private static string? ArrayDifference(JsonArray expected, JsonArray actual, string path)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (FindDifference(expected[i], actual[i], $"{path}[{i}]") is { } difference)
            {
                return difference;
            }
        }

        return expected.Count == actual.Count
            ? null
            : $"{path}: expected {expected.Count} elements but found {actual.Count}: expected {Text(expected)} but found {Text(actual)}";
    }

    private static bool NumbersEqual(JsonNode expected, JsonNode actual)
    {
        var expectedText = expected.ToJsonString();
        var actualText = actual.ToJsonString();
        // decimal keeps large integers exact; fall back to double for exponents beyond its range.
        if (decimal.TryParse(expectedText, NumberStyles.Float, CultureInfo.InvariantCulture, out var expectedDecimal)
            && decimal.TryParse(actualText, NumberStyles.Float, CultureInfo.InvariantCulture, out var actualDecimal))
        {
            return expectedDecimal == actualDecimal;
        }

        return double.Parse(expectedText, CultureInfo.InvariantCulture) == double.Parse(actualText, CultureInfo.InvariantCulture);
    }

    private static JsonValueKind KindOf(JsonNode? node) => node switch
    {
        null => JsonValueKind.Null,
        _ => node.GetValueKind(),
    };

    private static string Describe(string path, JsonNode? expected, JsonNode? actual) =>
        $"{path}: expected {Text(expected)} but found {Text(actual)}";

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";
}
