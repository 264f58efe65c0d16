using System.Text;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Makes text safe to write inside one log line: line breaks and other control characters a
/// client may have sent become visible escapes, so no value can start a line of its own.
/// </summary>
public static class LogText
{
    /// <summary>
    /// <c>\r</c>, <c>\n</c> and <c>\t</c> become <c>\\r</c>, <c>\\n</c>, <c>\\t</c>; every other
    /// C0/C1 control, DEL, U+2028/U+2029, a bidirectional formatting control or a lone surrogate
    /// becomes <c>\\uXXXX</c>. Backslashes are left alone, so a literal <c>\n</c> in a value reads the
    /// same as an escaped line break, but neither can end the line.
    /// </summary>
    public static string Escape(string text)
    {
        var first = FirstUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
            }
            else if (!IsUnsafe(c))
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append(c switch
                {
                    '\r' => @"\r",
                    '\n' => @"\n",
                    '\t' => @"\t",
                    _ => $@"\u{(int)c:X4}",
                });
            }
        }

        return escaped.ToString();
    }

    /// <summary>
    /// As <see cref="Escape(string)"/> for an exception's <c>ToString()</c>, except the line feeds
    /// that begin a line of the runtime's own layout (a stack frame <c>   at </c>, an inner exception
    /// <c> ---> </c>, <c>   --- End of …</c>), so stack traces stay readable. A message's own line
    /// breaks are escaped.
    /// </summary>
    public static string EscapeException(string text)
    {
        var lines = text.Split('\n');
        var escaped = new StringBuilder(text.Length + 16).Append(Escape(lines[0]));
        foreach (var line in lines.AsSpan(1))
        {
            escaped.Append(StartsTraceLine(line) ? "\n" : @"\n").Append(Escape(line));
        }

        return escaped.ToString();
    }

    private static bool StartsTraceLine(string line) =>
        line.StartsWith("   at ", StringComparison.Ordinal) || line.StartsWith(" ---> ", StringComparison.Ordinal)
        || line.StartsWith("   --- ", StringComparison.Ordinal) || line.StartsWith("<---", StringComparison.Ordinal);

    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (IsUnsafe(c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Here a surrogate is always a lone one: pairs are skipped before this is asked.</summary>
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c)
            || c is '\u2028' or '\u2029' or '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
