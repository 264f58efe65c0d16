using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Ortc;

/// <summary>
/// JavaScript string conversion, as used by the reference's template literals
/// (<c>`[name:${codec.name}]`</c>): error texts must print values exactly as V8 does.
/// </summary>
public static class JsText
{
    /// <summary>The text of <c>`${value}`</c>. Throws a TypeError where V8 would.</summary>
    public static string Of(JsValue value) => value.Type switch
    {
        JsType.Undefined => "undefined",
        JsType.Null => "null",
        JsType.Boolean => value.IsTruthy ? "true" : "false",
        JsType.Number => Number(value.AsNumber()),
        JsType.String => value.AsString(),
        JsType.Array => JoinArray((JsonArray)value.Node!),
        _ => ObjectText((JsonObject)value.Node!),
    };

    /// <summary>ECMAScript Number::toString for radix 10 (shortest round-trip digits).</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0"; // also -0
        }

        var sign = value < 0 ? "-" : string.Empty;
        var (digits, pointPosition) = ShortestDigits(Math.Abs(value));
        return sign + Layout(digits, pointPosition);
    }

    private static string ObjectText(JsonObject obj)
    {
        // A JSON key "toString" shadows Object.prototype.toString with a non-callable value; V8 then
        // falls back to valueOf, which returns the object itself, and gives up.
        if (obj.ContainsKey("toString"))
        {
            throw MediasoupError.Type("Cannot convert object to primitive value");
        }

        return "[object Object]";
    }

    private static string JoinArray(JsonArray array)
    {
        var text = new StringBuilder();
        for (var i = 0; i < array.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var element = JsValue.From(array[i]);
            if (!element.IsNullish)
            {
                text.Append(Of(element));
            }
        }

        return text.ToString();
    }

    /// <summary>Digits d1..dk and n such that value = 0.d1..dk × 10^n (ECMAScript's k and n).</summary>
    private static (string Digits, int PointPosition) ShortestDigits(double value)
    {
        // "E16" is not shortest; "R" is, but mixes fixed and exponent layouts, so normalise it.
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var ePos = roundTrip.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exponent = int.Parse(roundTrip[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            roundTrip = roundTrip[..ePos];
        }

        var dot = roundTrip.IndexOf('.');
        var integerPart = dot >= 0 ? roundTrip[..dot] : roundTrip;
        var fractionPart = dot >= 0 ? roundTrip[(dot + 1)..] : string.Empty;
        var allDigits = integerPart + fractionPart;
        var pointPosition = integerPart.Length + exponent;

        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        allDigits = allDigits[leadingZeros..].TrimEnd('0');
        pointPosition -= leadingZeros;
        return (allDigits, pointPosition);
    }

    private static string Layout(string digits, int n)
    {
        var k = digits.Length;
        if (k <= n && n <= 21)
        {
            return digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return "0." + new string('0', -n) + digits;
        }

        var exponent = n - 1;
        var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
        return mantissa + "e" + (exponent >= 0 ? "+" : "-") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
    }
}
