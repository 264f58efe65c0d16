using System.Text.Json;

namespace Coordinator.Grains.Media;

/// <summary>
/// A transport's kind. Each kind has methods of its own; the media plane refuses the other kind's
/// methods itself, because the worker crashes on them (docs/worker-channel.md#rules-that-keep-the-worker-alive).
/// </summary>
public enum TransportKind
{
    WebRtc,
    PlainRtp,
}

/// <summary>
/// The <c>createTransport</c> options the worker understands (non-boolean client values are dropped
/// before). The worker media plane sends them as <c>router.createWebRtcTransport</c>'s data as they
/// are (camelCase), so every property here is one the worker reads.
/// </summary>
public sealed record WebRtcTransportOptions(
    bool Udp = true,
    bool Tcp = true,
    bool PreferIPv4 = false,
    bool PreferIPv6 = false,
    bool PreferUdp = false,
    bool PreferTcp = false);

/// <summary>What the client needs of a new WebRTC transport, as the worker reported it.</summary>
/// <param name="IceParameters"><c>{usernameFragment, password, iceLite}</c>.</param>
/// <param name="IceCandidates">Array of host candidates.</param>
/// <param name="DtlsParameters"><c>{fingerprints:[sha-1 … sha-512], role}</c>.</param>
public sealed record WebRtcTransportInfo(JsonElement IceParameters, JsonElement IceCandidates, JsonElement DtlsParameters);

public sealed record PlainRtpTransportOptions(string? RemoteIp, int? RemotePort, bool PreferIPv4, bool PreferIPv6);

public sealed record PlainRtpTransportInfo(string LocalIp, int LocalPort);

/// <summary>The media plane refused a request; <see cref="Exception.Message"/> is the worker's reason verbatim.</summary>
public sealed class MediaPlaneException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>The router is closed, or its worker died; the room's media is gone.</summary>
public sealed class MediaRouterClosedException(string reason, Exception? inner = null) : Exception(reason, inner);
