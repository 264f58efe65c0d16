using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Protocol.Ortc;

namespace Coordinator.Protocol.Tests.Differential;

/// <summary>Runs our side of a case and compares it with the reference's answer.</summary>
internal static class Outcomes
{
    /// <summary>Our result as the driver would report it: a value, or the error's JS class and text.</summary>
    public static ReferenceAnswer Ours(string stage, Func<JsonNode?> body)
    {
        try
        {
            return new ReferenceAnswer(true, body(), null, null, null);
        }
        catch (MediasoupError error)
        {
            return new ReferenceAnswer(false, null, error.Class.ToString(), error.Message, stage);
        }
        catch (Exception e)
        {
            // A framework exception never matches the reference: report it as what it is.
            return new ReferenceAnswer(false, null, $"(C# {e.GetType().Name})", e.Message, stage);
        }
    }

    /// <summary>A JSON argument as the reference sees it: null text stands for an absent key (undefined).</summary>
    public static JsValue Argument(string? json) => json is null ? JsValue.Undefined : JsValue.From(JsonNode.Parse(json));

    /// <summary>SSRCs in the order the driver hands them out (see ortc-driver.js).</summary>
    public static Func<long> SsrcCounter()
    {
        var next = ReferenceOrtc.FirstSsrc;
        return () => next++;
    }

    /// <summary>
    /// Null when both agree: the same stage, JS error class and message, or results equal as JSON
    /// (<see cref="JsonAssert"/>: types strict, key order ignored). Numbers are compared as the
    /// doubles a JS client parses, so <c>1.0</c> and <c>1</c>, or the digits V8 prints for a large
    /// integer and the text we pass through, agree.
    /// </summary>
    public static string? Difference(ReferenceAnswer reference, ReferenceAnswer ours)
    {
        if (reference.Ok != ours.Ok)
        {
            return reference.Ok ? "the reference answered but we threw" : "the reference threw but we answered";
        }

        if (!reference.Ok)
        {
            return reference.Stage == ours.Stage && reference.ErrorName == ours.ErrorName && reference.ErrorMessage == ours.ErrorMessage
                ? null
                : "the errors differ";
        }

        return JsonAssert.FindDifference(AsDoubles(reference.Result), AsDoubles(ours.Result));
    }

    private static JsonNode? AsDoubles(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(pair => KeyValuePair.Create(pair.Key, AsDoubles(pair.Value)))),
        JsonArray array => new JsonArray([.. array.Select(AsDoubles)]),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => AsDouble(value),
        _ => node?.DeepClone(),
    };

    private static JsonNode AsDouble(JsonValue number)
    {
        var text = number.ToJsonString();
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        // JSON.stringify never writes a non-finite number: keep ours visible instead of equal to anything.
        return double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create($"(non-finite number {text})");
    }
}
