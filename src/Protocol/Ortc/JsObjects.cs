using System.Globalization;
using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Ortc;

/// <summary>Object helpers with JavaScript semantics.</summary>
internal static class JsObjects
{
    /// <summary>
    /// <c>Object.assign({}, target, source)</c> where <paramref name="target"/> is a trusted object (or
    /// absent) and <paramref name="source"/> is client data: later keys win in place, null/undefined and
    /// numbers/booleans add nothing, strings and arrays add their elements under index keys.
    /// </summary>
    public static JsonObject Assign(JsonNode? target, JsValue source)
    {
        var result = target is JsonObject trusted ? (JsonObject)trusted.DeepClone() : new JsonObject();
        switch (source.Type)
        {
            case JsType.Object:
                foreach (var (key, value) in (JsonObject)source.Node!)
                {
                    // JS assigns "__proto__" through the prototype setter: it never becomes an own key.
                    if (key != "__proto__")
                    {
                        result[key] = JsValue.JsonCopy(value);
                    }
                }

                break;
            case JsType.Array:
                var array = (JsonArray)source.Node!;
                for (var i = 0; i < array.Count; i++)
                {
                    result[i.ToString(CultureInfo.InvariantCulture)] = JsValue.JsonCopy(array[i]);
                }

                break;
            case JsType.String:
                var text = source.AsString();
                for (var i = 0; i < text.Length; i++)
                {
                    result[i.ToString(CultureInfo.InvariantCulture)] = text[i].ToString();
                }

                break;
        }

        return result;
    }

    /// <summary>Copies <paramref name="key"/> from <paramref name="source"/> unless it is undefined there (JSON drops undefined).</summary>
    public static void CopyIfDefined(JsonObject destination, string key, JsValue source)
    {
        var value = source.Get(key);
        if (!value.IsUndefined)
        {
            destination[key] = value.CloneNode();
        }
    }

    /// <summary>Sets <paramref name="key"/> to a copy of <paramref name="value"/>, or removes it when undefined.</summary>
    public static void SetOrRemove(JsonObject destination, string key, JsValue value)
    {
        if (value.IsUndefined)
        {
            destination.Remove(key);
        }
        else
        {
            destination[key] = value.CloneNode();
        }
    }
}
