using System.Text;

namespace Coordinator.Protocol.Protoo;

/// <summary>
/// What a <c>roomId</c> or <c>peerName</c> from the socket URL may be. Both become grain keys and
/// appear in log lines, admin listings and other peers' notifications, so they must be visible,
/// single-line text of a bounded size. The reference accepts any non-empty string.
/// </summary>
public static class PeerIdentifiers
{
    /// <summary>
    /// The longest id, in UTF-16 code units (JavaScript's <c>String.length</c>; a character
    /// outside the Basic Multilingual Plane counts two).
    /// </summary>
    public const int MaxLength = 256;

    /// <summary>Why <paramref name="value"/> cannot be the URL's <paramref name="parameter"/>, or null if it can.</summary>
    /// <remarks>The reason names the parameter and the offending code point, never the value itself.</remarks>
    public static string? Refusal(string parameter, string value)
    {
        if (value.Length > MaxLength)
        {
            return $"{parameter} is longer than {MaxLength} characters";
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{parameter} is empty or only whitespace";
        }

        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return $"{parameter} is not valid UTF-16 (a lone surrogate)";
            }

            if (IsForbidden(rune))
            {
                return $"{parameter} contains the control character U+{rune.Value:X4}";
            }

            rest = rest[consumed..];
        }

        return null;
    }

    /// <summary>
    /// C0 and C1 controls and DEL (they break log lines and terminals), the Unicode line and
    /// paragraph separators (line breaks to JavaScript and many log viewers), and the
    /// bidirectional formatting controls (they make one id display as another).
    /// </summary>
    private static bool IsForbidden(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.Control
            or System.Globalization.UnicodeCategory.LineSeparator
            or System.Globalization.UnicodeCategory.ParagraphSeparator
        || rune.Value is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);
}
