using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.TestSupport.Media;

internal sealed class InMemoryTransport(uint id, bool isPlain)
{
    public uint Id { get; } = id;

    public bool IsPlain { get; } = isPlain;

    public string UsernameFragment { get; set; } = InMemoryWebRtcParameters.NewUsernameFragment();

    public string Password { get; set; } = InMemoryWebRtcParameters.NewPassword();

    public bool HasRemoteDtls { get; set; }

    /// <summary>The local DTLS role: <c>auto</c> until the remote parameters are set.</summary>
    public string DtlsRole { get; set; } = "auto";

    /// <summary>The ICE candidates given at creation (WebRTC only).</summary>
    public JsonArray? Candidates { get; set; }

    /// <summary>The made-up local port of a plain transport.</summary>
    public int LocalPort { get; set; }

    /// <summary>A plain transport's remote address, once known.</summary>
    public (string Ip, int Port)? Remote { get; set; }

    public string IceState { get; set; } = "new";

    public string DtlsState { get; set; } = "new";

    public HashSet<uint> Producers { get; } = [];

    public HashSet<uint> EnabledConsumers { get; } = [];

    /// <summary>The RTP listener: ssrcs and muxIds of its producers.</summary>
    public Dictionary<long, uint> Ssrcs { get; } = [];

    public Dictionary<string, uint> MuxIds { get; } = [];
}

internal sealed class InMemoryProducer(uint id, uint transportId, string kind, bool paused, long[] ssrcs, string? muxId, JsonElement rtpParameters)
{
    public uint Id { get; } = id;

    public uint TransportId { get; } = transportId;

    public string Kind { get; } = kind;

    public bool Paused { get; set; } = paused;

    public long[] Ssrcs { get; } = ssrcs;

    public string? MuxId { get; } = muxId;

    /// <summary>As the client gave them (the worker would normalise them; dumps show these).</summary>
    public JsonElement RtpParameters { get; } = rtpParameters.Clone();

    public HashSet<uint> Consumers { get; } = [];
}

internal sealed class InMemoryConsumer(uint id, uint producerId, string kind)
{
    public uint Id { get; } = id;

    public uint ProducerId { get; } = producerId;

    public string Kind { get; } = kind;

    public uint? EnabledOn { get; set; }

    /// <summary>Paused by <c>consumer.pause</c> (not by its source).</summary>
    public bool Paused { get; set; }

    public string PreferredProfile { get; set; } = "default";

    public JsonElement RtpParameters { get; set; }

    public long Ssrc { get; set; }

    public string OutboundStatsId { get; } = InMemoryWebRtcParameters.NewUsernameFragment();

    public JsonObject OutboundStats(uint transportId) => new()
    {
        ["type"] = "outbound-rtp",
        ["id"] = OutboundStatsId,
        ["timestamp"] = Environment.TickCount64,
        ["ssrc"] = Ssrc,
        ["kind"] = Kind,
        ["mediaType"] = Kind,
        ["mimeType"] = RtpParameters.GetProperty("codecs")[0].GetProperty("mimeType").GetString(),
        ["packetCount"] = 0,
        ["byteCount"] = 0,
        ["bitrate"] = 0,
        ["packetsLost"] = 0,
        ["fractionLost"] = 0,
        ["packetsDiscarded"] = 0,
        ["packetsRepaired"] = 0,
        ["firCount"] = 0,
        ["pliCount"] = 0,
        ["nackCount"] = 0,
        ["sliCount"] = 0,
        ["roundTripTime"] = 0,
        ["transportId"] = transportId,
    };
}
