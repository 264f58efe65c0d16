using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Coordinator.Protocol.Ortc;

/// <summary>
/// The reference server's built-in capability table (docs/protocol.md#ortc) and its dynamic payload type
/// allocation order (§7.2). Kept verbatim, including the duplicate CN/32000 entry and the two
/// telephone-event rates without <c>channels</c>: table order decides which entry matches first.
/// </summary>
public static class SupportedRtpCapabilities
{
    /// <summary>100–127, then 96–99, then 77–95, then 35–71 (88 values).</summary>
    public static ImmutableArray<int> DynamicPayloadTypes { get; } =
    [
        .. Enumerable.Range(100, 28),
        .. Enumerable.Range(96, 4),
        .. Enumerable.Range(77, 19),
        .. Enumerable.Range(35, 37),
    ];

    /// <summary>A fresh copy of <c>{codecs, headerExtensions, fecMechanisms}</c>; callers may keep or mutate it.</summary>
    public static JsonObject Create() => new()
    {
        ["codecs"] = Codecs(),
        ["headerExtensions"] = HeaderExtensions(),
        ["fecMechanisms"] = new JsonArray(),
    };

    /// <summary>A fresh copy of the codec table, in table order.</summary>
    public static JsonArray Codecs() =>
    [
        Audio("opus", 48000, channels: 2),
        Audio("PCMU", 8000, channels: 1, preferredPayloadType: 0, emptyFeedback: true),
        Audio("PCMA", 8000, channels: 1, preferredPayloadType: 8, emptyFeedback: true),
        Audio("ISAC", 32000, channels: 1, emptyFeedback: true),
        Audio("ISAC", 16000, channels: 1),
        Audio("G722", 8000, channels: 1, preferredPayloadType: 9),
        Audio("iLBC", 8000, channels: 1),
        Audio("SILK", 24000, channels: 1),
        Audio("SILK", 16000, channels: 1),
        Audio("SILK", 12000, channels: 1),
        Audio("SILK", 8000, channels: 1),
        Audio("CN", 32000, channels: 1, preferredPayloadType: 13),
        Audio("CN", 16000, channels: 1, preferredPayloadType: 13),
        Audio("CN", 8000, channels: 1, preferredPayloadType: 13),
        Audio("CN", 32000, channels: 1, preferredPayloadType: 13),
        Audio("telephone-event", 48000, channels: 1),
        Audio("telephone-event", 32000, channels: 1),
        Audio("telephone-event", 16000, channels: null),
        Audio("telephone-event", 8000, channels: null),
        Video("VP8"),
        Video("VP9"),
        Video("H264", packetizationMode: 0),
        Video("H264", packetizationMode: 1),
        Video("H265"),
    ];

    /// <summary>A fresh copy of the header extensions every Room advertises, in table order.</summary>
    public static JsonArray HeaderExtensions() =>
    [
        Extension("audio", "urn:ietf:params:rtp-hdrext:ssrc-audio-level", 1),
        Extension("video", "urn:ietf:params:rtp-hdrext:toffset", 2),
        Extension("audio", "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", 3),
        Extension("video", "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", 3),
        Extension("video", "urn:3gpp:video-orientation", 4),
        Extension("audio", "urn:ietf:params:rtp-hdrext:sdes:mid", 5),
        Extension("video", "urn:ietf:params:rtp-hdrext:sdes:mid", 5),
        Extension("video", "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", 6),
    ];

    // Key order follows the reference table (only cosmetic, but it makes generated Rooms read alike).
    private static JsonObject Audio(string name, int clockRate, int? channels, int? preferredPayloadType = null, bool emptyFeedback = false)
    {
        var codec = new JsonObject { ["kind"] = "audio", ["name"] = name, ["mimeType"] = $"audio/{name}" };
        if (preferredPayloadType is { } pt)
        {
            codec["preferredPayloadType"] = pt;
        }

        codec["clockRate"] = clockRate;
        if (channels is { } count)
        {
            codec["channels"] = count;
        }

        if (emptyFeedback)
        {
            codec["rtcpFeedback"] = new JsonArray();
        }

        return codec;
    }

    private static JsonObject Video(string name, int? packetizationMode = null)
    {
        var codec = new JsonObject { ["kind"] = "video", ["name"] = name, ["mimeType"] = $"video/{name}", ["clockRate"] = 90000 };
        if (packetizationMode is { } mode)
        {
            codec["parameters"] = new JsonObject { ["packetization-mode"] = mode };
        }

        codec["rtcpFeedback"] = VideoFeedback();
        return codec;
    }

    private static JsonArray VideoFeedback() =>
    [
        new JsonObject { ["type"] = "nack" },
        new JsonObject { ["type"] = "nack", ["parameter"] = "pli" },
        new JsonObject { ["type"] = "ccm", ["parameter"] = "fir" },
        new JsonObject { ["type"] = "goog-remb" },
    ];

    private static JsonObject Extension(string kind, string uri, int preferredId) => new()
    {
        ["kind"] = kind,
        ["uri"] = uri,
        ["preferredId"] = preferredId,
        ["preferredEncrypt"] = false,
    };
}
