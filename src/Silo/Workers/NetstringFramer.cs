using System.Globalization;
using System.Text;

namespace Coordinator.Silo.Workers;

/// <summary>
/// Netstring framing (<c>&lt;decimal length&gt;:&lt;payload&gt;,</c>) as the mediasoup worker speaks it
/// (docs/worker-channel.md#framing): at most 9 length digits, no leading zeros, payload at most
/// <see cref="MaxPayloadBytes"/> bytes in either direction.
/// </summary>
public static class NetstringFramer
{
    /// <summary>The worker's limit for one payload, in each direction.</summary>
    public const int MaxPayloadBytes = 65536;

    /// <summary>
    /// Frames <paramref name="payload"/>. Throws <see cref="RequestTooBigException"/> when it exceeds
    /// <see cref="MaxPayloadBytes"/>: the worker would discard it and lose the next request too.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            throw new RequestTooBigException(payload.Length, MaxPayloadBytes);
        }

        Span<byte> header = stackalloc byte[12];
        payload.Length.TryFormat(header, out var digits, provider: CultureInfo.InvariantCulture);
        header[digits++] = (byte)':';
        var frame = new byte[digits + payload.Length + 1];
        header[..digits].CopyTo(frame);
        payload.CopyTo(frame.AsSpan(digits));
        frame[^1] = (byte)',';
        return frame;
    }

    /// <summary>Frames the UTF-8 encoding of <paramref name="text"/>.</summary>
    public static byte[] Encode(string text) => Encode(Encoding.UTF8.GetBytes(text));
}
