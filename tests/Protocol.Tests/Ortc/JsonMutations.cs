using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Tests.Ortc;

/// <summary>
/// Systematic single-point corruptions of a JSON document: every node in turn replaced by each
/// value of a small hostile palette, and every object key in turn removed. The document is
/// corrupted in place and restored after each visit, so the visitor must not keep it.
/// </summary>
internal static class JsonMutations
{
    private const int MaxFullyMutatedArray = 6;

    private static readonly string[] Palette =
    [
        "null", "0", "1", "-1", "1.5", "1e400", "\"\"", "\"1\"", "\"rtx\"", "true", "false", "[]", "[null]", "{}",
        """{"toString":1}""",
    ];

    /// <summary>Calls <paramref name="visit"/> once per mutation of a private copy of <paramref name="document"/>.</summary>
    public static int ForEach(JsonNode? document, Action<JsonNode?> visit)
    {
        var count = 0;
        foreach (var replacement in Palette)
        {
            visit(JsonNode.Parse(replacement));
            count++;
        }

        if (document is null)
        {
            return count;
        }

        var copy = document.DeepClone();
        foreach (var (parent, step) in Slots(copy).ToList())
        {
            foreach (var replacement in Palette)
            {
                WithSlot(parent, step, JsonNode.Parse(replacement), () => visit(copy));
                count++;
            }

            if (step is string key)
            {
                var obj = parent.AsObject();
                var original = obj[key];
                obj.Remove(key);
                visit(copy);
                obj[key] = original; // order changes; the functions under test ignore key order
                count++;
            }
        }

        return count;
    }

    private static void WithSlot(JsonNode parent, object step, JsonNode? replacement, Action visit)
    {
        var original = Swap(parent, step, replacement);
        try
        {
            visit();
        }
        finally
        {
            Swap(parent, step, original);
        }
    }

    /// <summary>Puts <paramref name="value"/> in the slot and returns the detached previous occupant.</summary>
    private static JsonNode? Swap(JsonNode parent, object step, JsonNode? value)
    {
        if (step is string key)
        {
            var obj = parent.AsObject();
            var previous = obj[key];
            obj[key] = value;
            return previous;
        }

        var array = parent.AsArray();
        var index = (int)step;
        var old = array[index];
        array[index] = value;
        return old;
    }

    /// <summary>
    /// Long arrays (44 identical codecs, say) add time but no new paths: corrupt the first few
    /// elements and the last one only.
    /// </summary>
    private static IEnumerable<int> RepresentativeIndexes(int count) =>
        count <= MaxFullyMutatedArray
            ? Enumerable.Range(0, count)
            : [.. Enumerable.Range(0, MaxFullyMutatedArray - 1), count - 1];

    private static IEnumerable<(JsonNode Parent, object Step)> Slots(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    yield return (obj, key);
                    if (child is not null)
                    {
                        foreach (var slot in Slots(child))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var i in RepresentativeIndexes(array.Count))
                {
                    yield return (array, i);
                    if (array[i] is { } child)
                    {
                        foreach (var slot in Slots(child))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
        }
    }
}
