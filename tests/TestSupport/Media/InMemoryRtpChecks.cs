using System.Text.Json;
using Coordinator.Grains.Media;

namespace Coordinator.TestSupport.Media;

/// <summary>
/// The part of the worker's RtpParameters/rtpMapping validation the double reproduces, with the
/// worker's texts (docs/worker-channel.md#requests-per-action, verified against the 2.6.19 binary).
/// <para>Not checked (accepted silently): codec <c>parameters</c>, RTX <c>apt</c> rules, duplicate
/// payload types, encodings' <c>codecPayloadType</c>/<c>profile</c>/FEC rules, header-extension
/// fields, rids (and their uniqueness in the RTP listener).</para>
/// </summary>
internal static class InMemoryRtpChecks
{
    private static readonly HashSet<string> KnownSubtypes =
    [
        "opus", "pcma", "pcmu", "isac", "g722", "ilbc", "silk", "vp8", "vp9", "h264", "x-h264uc", "h265",
        "cn", "telephone-event", "rtx", "ulpfec", "flexfec", "x-ulpfecuc", "red",
    ];

    private static readonly HashSet<string> Profiles = ["default", "low", "medium", "high"];

    /// <summary>The kind is case-insensitive in the worker ("Audio" is accepted).</summary>
    public static string CheckKind(string? kind)
    {
        if (kind is null)
        {
            throw new MediaPlaneException("missing data.kind");
        }

        if (kind.Length == 0)
        {
            throw new MediaPlaneException("invalid empty kind");
        }

        var lower = kind.ToLowerInvariant();
        return lower is "audio" or "video" ? lower : throw new MediaPlaneException($"invalid media kind [kind:{kind}]");
    }

    public static void CheckRtpParameters(JsonElement parameters)
    {
        if (parameters.TryGetProperty("muxId", out var muxId) && muxId.ValueKind == JsonValueKind.String && muxId.GetString()!.Length == 0)
        {
            throw new MediaPlaneException("empty rtpParameters.muxId");
        }

        if (!parameters.TryGetProperty("codecs", out var codecs) || codecs.ValueKind != JsonValueKind.Array)
        {
            throw new MediaPlaneException("missing rtpParameters.codecs");
        }

        if (codecs.GetArrayLength() == 0)
        {
            throw new MediaPlaneException("empty rtpParameters.codecs");
        }

        foreach (var codec in codecs.EnumerateArray())
        {
            CheckCodec(codec);
        }

        if (!parameters.TryGetProperty("encodings", out var encodings) || encodings.ValueKind != JsonValueKind.Array)
        {
            throw new MediaPlaneException("missing rtpParameters.encodings");
        }

        if (encodings.GetArrayLength() == 0)
        {
            throw new MediaPlaneException("empty rtpParameters.encodings");
        }

        if (parameters.TryGetProperty("rtcp", out var rtcp) && rtcp.ValueKind == JsonValueKind.Object
            && rtcp.TryGetProperty("cname", out var cname) && cname.ValueKind == JsonValueKind.String && cname.GetString()!.Length == 0)
        {
            throw new MediaPlaneException("empty RtcpParameters.cname");
        }
    }

    /// <summary>Presence of both maps first, then their entries (the worker's order).</summary>
    public static void CheckMapping(JsonElement mapping)
    {
        if (!mapping.TryGetProperty("codecPayloadTypes", out var codecPayloadTypes) || codecPayloadTypes.ValueKind != JsonValueKind.Array)
        {
            throw new MediaPlaneException("missing rtpMapping.codecPayloadTypes");
        }

        if (!mapping.TryGetProperty("headerExtensionIds", out var headerExtensionIds) || headerExtensionIds.ValueKind != JsonValueKind.Array)
        {
            throw new MediaPlaneException("missing rtpMapping.headerExtensionIds");
        }

        if (!codecPayloadTypes.EnumerateArray().All(IsNumberPair))
        {
            throw new MediaPlaneException("wrong rtpMapping.codecPayloadTypes entry");
        }

        if (!headerExtensionIds.EnumerateArray().All(IsNumberPair))
        {
            throw new MediaPlaneException("wrong rtpMapping entry");
        }
    }

    /// <summary>What <c>consumer.enable</c> requires besides the general RtpParameters checks.</summary>
    public static long CheckConsumerRtpParameters(JsonElement parameters)
    {
        CheckRtpParameters(parameters);
        var first = parameters.GetProperty("encodings")[0];
        return first.ValueKind == JsonValueKind.Object && first.TryGetProperty("ssrc", out var ssrc) && ssrc.TryGetInt64(out var value)
            ? value
            : throw new MediaPlaneException("missing rtpParameters.encodings[0].ssrc");
    }

    /// <summary>Every ssrc the producer registers in its transport's RTP listener: encodings' ssrc, rtx.ssrc and fec.ssrc.</summary>
    public static IEnumerable<long> Ssrcs(JsonElement parameters)
    {
        foreach (var encoding in parameters.GetProperty("encodings").EnumerateArray())
        {
            if (encoding.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (SsrcOf(encoding) is { } ssrc)
            {
                yield return ssrc;
            }

            foreach (var nested in new[] { "rtx", "fec" })
            {
                if (encoding.TryGetProperty(nested, out var stream) && stream.ValueKind == JsonValueKind.Object && SsrcOf(stream) is { } nestedSsrc)
                {
                    yield return nestedSsrc;
                }
            }
        }
    }

    public static string? MuxId(JsonElement parameters) =>
        parameters.TryGetProperty("muxId", out var muxId) && muxId.ValueKind == JsonValueKind.String ? muxId.GetString() : null;

    public static void CheckProfile(string? profile)
    {
        if (profile is null)
        {
            throw new MediaPlaneException("missing data.profile");
        }

        if (profile == "none")
        {
            throw new MediaPlaneException("invalid profile");
        }

        if (!Profiles.Contains(profile))
        {
            throw new MediaPlaneException("unknown profile");
        }
    }

    private static void CheckCodec(JsonElement codec)
    {
        if (codec.ValueKind != JsonValueKind.Object || !codec.TryGetProperty("mimeType", out var mimeType) || mimeType.ValueKind != JsonValueKind.String)
        {
            throw new MediaPlaneException("missing RtpCodec.mimeType");
        }

        var parts = mimeType.GetString()!.Split('/');
        if (parts.Length != 2)
        {
            throw new MediaPlaneException("wrong codec MIME");
        }

        if (parts[0].ToLowerInvariant() is not ("audio" or "video"))
        {
            throw new MediaPlaneException($"unknown codec MIME type '{parts[0]}'");
        }

        if (!KnownSubtypes.Contains(parts[1].ToLowerInvariant()))
        {
            throw new MediaPlaneException($"unknown codec MIME subtype '{parts[1]}'");
        }

        if (!codec.TryGetProperty("payloadType", out var payloadType) || payloadType.ValueKind != JsonValueKind.Number)
        {
            throw new MediaPlaneException("missing RtpCodecParameters.payloadType");
        }

        if (!codec.TryGetProperty("clockRate", out var clockRate) || clockRate.ValueKind != JsonValueKind.Number)
        {
            throw new MediaPlaneException("missing RtpCodecParameters.clockRate");
        }
    }

    private static bool IsNumberPair(JsonElement entry) =>
        entry.ValueKind == JsonValueKind.Array && entry.GetArrayLength() == 2
        && entry[0].ValueKind == JsonValueKind.Number && entry[1].ValueKind == JsonValueKind.Number;

    private static long? SsrcOf(JsonElement stream) =>
        stream.TryGetProperty("ssrc", out var ssrc) && ssrc.TryGetInt64(out var value) ? value : null;
}
