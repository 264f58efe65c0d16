namespace Coordinator.Browser.Tests.Harness;

/// <summary>The receiving page's <c>inbound-rtp</c> for one consumer (found by the consumer's SSRC).</summary>
public sealed record InboundStats(
    long Ssrc,
    bool Found,
    long BytesReceived,
    long PacketsReceived,
    long FramesDecoded,
    int FrameWidth,
    int FrameHeight);

/// <summary>Inbound video stats plus the size of the &lt;video&gt; element that plays the track.</summary>
public sealed record DecodedVideo(
    long Ssrc,
    bool Found,
    long BytesReceived,
    long FramesDecoded,
    int FrameWidth,
    int FrameHeight,
    int VideoWidth,
    int VideoHeight);

/// <summary>One <c>outbound-rtp</c> of the sending page: a simulcast layer when there are several.</summary>
public sealed record SentLayer(long Ssrc, long BytesSent, long FramesEncoded, int FrameWidth, int FrameHeight, bool Active);

public sealed record SendStats(double AvailableOutgoingBitrate, IReadOnlyList<SentLayer> Layers);

/// <summary>What mediasoup-client says about one of its consumers.</summary>
public sealed record ConsumerState(
    string Peer,
    long ConsumerId,
    string Kind,
    bool Paused,
    bool Closed,
    bool LocallyPaused,
    bool RemotelyPaused,
    string? PreferredProfile,
    string? EffectiveProfile,
    bool Receiving);

public sealed record JoinResult(IReadOnlyList<string> Peers);

public sealed record ProducedTrack(string Kind, long ProducerId);
