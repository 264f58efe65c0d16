using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Ortc;

/// <summary>
/// <c>for…of</c>, <c>find</c>, <c>some</c> and <c>filter</c> as the reference uses them, with V8's
/// TypeError texts when the receiver is not what the code expects. The <c>expression</c> arguments
/// name the receiver the way the reference source spells it, because V8 quotes it.
/// </summary>
internal static class JsArrays
{
    /// <summary><c>for (const x of value)</c>: arrays yield elements, strings yield code points.</summary>
    public static IEnumerable<JsValue> Iterate(JsValue value, string expression)
    {
        return value.Type switch
        {
            JsType.Array => Elements((JsonArray)value.Node!),
            JsType.String => CodePoints(value.AsString()),
            _ => throw MediasoupError.Type($"{expression} is not iterable"),
        };
    }

    /// <summary><c>value.find(predicate)</c>; <see cref="JsValue.Undefined"/> when nothing matches.</summary>
    public static JsValue Find(JsValue value, string expression, Func<JsValue, bool> predicate)
    {
        foreach (var element in ArrayReceiver(value, expression, "find"))
        {
            if (predicate(element))
            {
                return element;
            }
        }

        return JsValue.Undefined;
    }

    /// <summary><c>value.some(predicate)</c>.</summary>
    public static bool Some(JsValue value, string expression, Func<JsValue, bool> predicate)
    {
        foreach (var element in ArrayReceiver(value, expression, "some"))
        {
            if (predicate(element))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>value.filter(predicate)</c>, returning the kept elements in order.</summary>
    public static List<JsValue> Filter(JsValue value, string expression, Func<JsValue, bool> predicate)
    {
        var kept = new List<JsValue>();
        foreach (var element in ArrayReceiver(value, expression, "filter"))
        {
            if (predicate(element))
            {
                kept.Add(element);
            }
        }

        return kept;
    }

    /// <summary>
    /// <c>for (const x of value || [])</c>. V8 cannot name the receiver of an <c>||</c> expression,
    /// so a truthy value that is not iterable is described by its type and value instead:
    /// <c>number 1 is not iterable (…)</c>, <c>boolean true …</c>, and for any object just <c>object …</c>.
    /// </summary>
    public static IEnumerable<JsValue> IterateOrEmpty(JsValue value)
    {
        if (!value.IsTruthy)
        {
            return [];
        }

        return value.Type switch
        {
            JsType.Array or JsType.String => Iterate(value, string.Empty),
            JsType.Object => throw NotIterable("object"),
            _ => throw NotIterable($"{value.TypeOf} {JsText.Of(value)}"),
        };
    }

    private static MediasoupError NotIterable(string description) =>
        MediasoupError.Type($"{description} is not iterable (cannot read property Symbol(Symbol.iterator))");

    private static IEnumerable<JsValue> ArrayReceiver(JsValue value, string expression, string method)
    {
        return value.Type switch
        {
            JsType.Array => Elements((JsonArray)value.Node!),
            JsType.Undefined => throw MediasoupError.ReadOfUndefined(method),
            JsType.Null => throw MediasoupError.Type($"Cannot read properties of null (reading '{method}')"),
            // Strings, numbers, booleans and plain objects have no such method (a JSON key of that
            // name is data, never a function).
            _ => throw MediasoupError.Type($"{expression}.{method} is not a function"),
        };
    }

    private static IEnumerable<JsValue> Elements(JsonArray array)
    {
        // Snapshot: callers never mutate inputs, but the snapshot keeps enumeration safe regardless.
        JsonNode?[] snapshot = [.. array];
        return snapshot.Select(JsValue.From);
    }

    private static IEnumerable<JsValue> CodePoints(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            yield return JsValue.From(JsonValue.Create(rune.ToString()));
        }
    }
}
