using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Ortc;

/// <summary>The JavaScript type of a JSON-derived value (arrays are kept apart from objects).</summary>
public enum JsType
{
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Object,
    Array,
}

/// <summary>
/// A JSON value seen through JavaScript eyes. The reference server is JavaScript, so its checks
/// depend on distinctions System.Text.Json does not make by itself: <c>undefined</c> (absent key)
/// versus <c>null</c>, truthiness, <c>===</c> and member access that throws on null/undefined.
/// <c>default(JsValue)</c> is <c>undefined</c>; a defined value whose node is C# null is JS <c>null</c>.
/// </summary>
public readonly struct JsValue
{
    private readonly bool defined;

    private JsValue(JsonNode? node, bool defined)
    {
        Node = node;
        this.defined = defined;
    }

    public static JsValue Undefined => default;

    /// <summary>The node as JS sees it: C# null means JSON <c>null</c>.</summary>
    public static JsValue From(JsonNode? node) => new(node, true);

    /// <summary>The JSON node; null for both <c>undefined</c> and <c>null</c> (see <see cref="Type"/>).</summary>
    public JsonNode? Node { get; }

    public JsType Type
    {
        get
        {
            if (!defined)
            {
                return JsType.Undefined;
            }

            return Node switch
            {
                null => JsType.Null,
                JsonObject => JsType.Object,
                JsonArray => JsType.Array,
                _ => Node.GetValueKind() switch
                {
                    JsonValueKind.String => JsType.String,
                    JsonValueKind.Number => JsType.Number,
                    JsonValueKind.True or JsonValueKind.False => JsType.Boolean,
                    _ => JsType.Null,
                },
            };
        }
    }

    public bool IsUndefined => !defined;

    public bool IsNullish => Type is JsType.Undefined or JsType.Null;

    /// <summary>JS <c>typeof</c> (null and arrays are "object").</summary>
    public string TypeOf => Type switch
    {
        JsType.Undefined => "undefined",
        JsType.Boolean => "boolean",
        JsType.Number => "number",
        JsType.String => "string",
        _ => "object",
    };

    /// <summary>JS truthiness: false for undefined, null, false, 0, NaN and "".</summary>
    public bool IsTruthy => Type switch
    {
        JsType.Undefined or JsType.Null => false,
        JsType.Boolean => Node!.GetValueKind() == JsonValueKind.True,
        JsType.Number => AsNumber() is var n && n != 0 && !double.IsNaN(n),
        JsType.String => AsString().Length > 0,
        _ => true,
    };

    public bool TryGetString(out string value)
    {
        if (Type == JsType.String)
        {
            value = AsString();
            return true;
        }

        value = string.Empty;
        return false;
    }

    public bool TryGetNumber(out double value)
    {
        if (Type == JsType.Number)
        {
            value = AsNumber();
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>
    /// JS member access <c>value.property</c>. Throws V8's TypeError on undefined/null. Primitives
    /// and arrays yield <c>undefined</c>: the ORTC code only reads names that no built-in prototype
    /// defines (kind, name, codecs, …), so their own keys are all that can answer.
    /// </summary>
    public JsValue Get(string property)
    {
        switch (Type)
        {
            case JsType.Undefined:
                throw MediasoupError.ReadOfUndefined(property);
            case JsType.Null:
                throw MediasoupError.Type($"Cannot read properties of null (reading '{property}')");
            case JsType.Object:
                return ((JsonObject)Node!).TryGetPropertyValue(property, out var child) ? From(child) : Undefined;
            default:
                return Undefined;
        }
    }

    /// <summary>JS <c>===</c>: same type and value; objects and arrays only equal themselves.</summary>
    public bool StrictEquals(JsValue other)
    {
        var type = Type;
        if (type != other.Type)
        {
            return false;
        }

        return type switch
        {
            JsType.Undefined or JsType.Null => true,
            JsType.Boolean => Node!.GetValueKind() == other.Node!.GetValueKind(),
            JsType.Number => AsNumber() == other.AsNumber(),
            JsType.String => StringEquals(Node!, other.Node!),
            _ => ReferenceEquals(Node, other.Node),
        };
    }

    /// <summary>Two parsed strings are compared in their UTF-8 text, without making a string of each.</summary>
    private static bool StringEquals(JsonNode left, JsonNode right) =>
        left is JsonValue leftValue && leftValue.TryGetValue(out JsonElement leftElement)
        && right is JsonValue rightValue && rightValue.TryGetValue(out JsonElement rightElement)
            ? JsonElement.DeepEquals(leftElement, rightElement)
            : string.Equals(left.GetValue<string>(), right.GetValue<string>(), StringComparison.Ordinal);

    /// <summary>
    /// An independent copy of the node, for output (a JsonNode can have only one parent), written
    /// as the reference's JSON.stringify writes it: see <see cref="JsonCopy"/>.
    /// </summary>
    public JsonNode? CloneNode() => JsonCopy(Node);

    /// <summary>
    /// A deep copy in which a number literal beyond double's range (<c>1e400</c>, which JS parses
    /// as Infinity) becomes <c>null</c>, as JSON.stringify writes a non-finite number. Every other
    /// value, large integers included, keeps its text: a JS client parses it to the same double.
    /// </summary>
    internal static JsonNode? JsonCopy(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(pair => KeyValuePair.Create(pair.Key, JsonCopy(pair.Value)))),
        JsonArray array => new JsonArray([.. array.Select(JsonCopy)]),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && !double.IsFinite(From(value).AsNumber()) => null,
        _ => node.DeepClone(),
    };

    /// <summary>Whether a number JSON cannot hold (such as 1e400) is anywhere in the tree: only then does <see cref="JsonCopy"/> change it.</summary>
    internal static bool HoldsNonFiniteNumber(JsonNode? node) => node switch
    {
        null => false,
        JsonObject obj => obj.Any(pair => HoldsNonFiniteNumber(pair.Value)),
        JsonArray array => array.Any(HoldsNonFiniteNumber),
        JsonValue value => value.GetValueKind() == JsonValueKind.Number && !double.IsFinite(From(value).AsNumber()),
        _ => false,
    };

    public override string ToString() => IsUndefined ? "undefined" : Node?.ToJsonString() ?? "null";

    internal string AsString() => Node!.GetValue<string>();

    internal double AsNumber()
    {
        var value = Node!.AsValue();
        if (value.TryGetValue<double>(out var number))
        {
            return number; // parsed JSON and C# doubles
        }

        if (value.TryGetValue<int>(out var integer))
        {
            return integer; // C#-built nodes such as generated payload types
        }

        // Anything else (other CLR number types, literals beyond double's range such as 1e400) goes
        // through its JSON text, which yields ±Infinity as JavaScript does.
        return double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
