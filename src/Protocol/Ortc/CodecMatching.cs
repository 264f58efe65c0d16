using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Ortc;

/// <summary>The server's codec and header-extension matching rules (docs/protocol.md#ortc), with JS semantics.</summary>
internal static class CodecMatching
{
    private static readonly JsValue Zero = JsValue.From(JsonValue.Create(0));

    /// <summary>
    /// matchCodecs(a, b). Reads both names first, so a codec without a string <c>name</c> throws a
    /// TypeError even when another rule would have rejected it (the vectors rely on this).
    /// </summary>
    public static bool MatchCodecs(JsValue a, JsValue b)
    {
        var aName = LowerCaseName(a, "aCodec");
        var bName = LowerCaseName(b, "bCodec");

        var aKind = a.Get("kind");
        var bKind = b.Get("kind");
        if (aKind.IsTruthy && bKind.IsTruthy && !aKind.StrictEquals(bKind))
        {
            return false;
        }

        if (!string.Equals(aName, bName, StringComparison.Ordinal))
        {
            return false;
        }

        if (!a.Get("clockRate").StrictEquals(b.Get("clockRate")))
        {
            return false;
        }

        if (!ChannelsMatch(a, aKind, b, bKind))
        {
            return false;
        }

        // H264 is told apart by packetization-mode only; profile-level-id is deliberately ignored.
        if (aName == "h264" && !PacketizationMode(a).StrictEquals(PacketizationMode(b)))
        {
            return false;
        }

        return true;
    }

    /// <summary>matchHeaderExtensions(a, b): kinds equal when both are set, and the same uri.</summary>
    public static bool MatchHeaderExtensions(JsValue a, JsValue b)
    {
        var aKind = a.Get("kind");
        var bKind = b.Get("kind");
        if (aKind.IsTruthy && bKind.IsTruthy && !aKind.StrictEquals(bKind))
        {
            return false;
        }

        return a.Get("uri").StrictEquals(b.Get("uri"));
    }

    /// <summary>
    /// <c>codec.name.toLowerCase()</c>, throwing V8's TypeError for a missing or non-string name.
    /// <paramref name="receiver"/> is the variable the reference names the codec by, which V8 quotes
    /// (<c>aCodec.name.toLowerCase is not a function</c>).
    /// </summary>
    public static string LowerCaseName(JsValue codec, string receiver)
    {
        var name = codec.Get("name");
        if (name.TryGetString(out var text))
        {
            return text.ToLowerInvariant();
        }

        if (name.IsNullish)
        {
            _ = name.Get("toLowerCase"); // throws V8's "Cannot read properties of …" text
        }

        throw MediasoupError.Type($"{receiver}.name.toLowerCase is not a function");
    }

    /// <summary>
    /// Audio codecs must agree on channels when either side says something other than 1, so
    /// "absent vs 1" matches but "absent vs 2" does not.
    /// </summary>
    private static bool ChannelsMatch(JsValue a, JsValue aKind, JsValue b, JsValue bKind)
    {
        if (!IsAudio(aKind) && !IsAudio(bKind))
        {
            return true;
        }

        var aChannels = a.Get("channels");
        var bChannels = b.Get("channels");
        var eitherNotOne = IsDefinedAndNotOne(aChannels) || IsDefinedAndNotOne(bChannels);
        return !eitherNotOne || aChannels.StrictEquals(bChannels);
    }

    private static bool IsAudio(JsValue kind) => kind.TryGetString(out var text) && text == "audio";

    private static bool IsDefinedAndNotOne(JsValue channels) =>
        !channels.IsUndefined && !(channels.TryGetNumber(out var count) && count == 1);

    /// <summary><c>(codec.parameters || {})['packetization-mode'] || 0</c>.</summary>
    private static JsValue PacketizationMode(JsValue codec)
    {
        var parameters = codec.Get("parameters");
        var mode = parameters.IsTruthy ? parameters.Get("packetization-mode") : JsValue.Undefined;
        return mode.IsTruthy ? mode : Zero;
    }
}
