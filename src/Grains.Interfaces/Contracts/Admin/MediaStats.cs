namespace Coordinator.Grains.Interfaces;

/// <summary>
/// A producer's or consumer's traffic, reduced from the worker's <c>producer.getStats</c> /
/// <c>consumer.getStats</c>: totals over its RTP streams (a simulcast producer has one per
/// layer), and each stream. <see cref="Error"/> says why the worker could not be asked (then the
/// numbers are zero).
/// </summary>
/// <param name="Bitrate">Bits per second over the worker's last second.</param>
/// <param name="Packets">RTP packets since the stream began.</param>
/// <param name="Bytes">RTP bytes since the stream began.</param>
/// <param name="PacketsLost">Packets lost as the worker counts them (for a consumer: as its receiver reported).</param>
[GenerateSerializer, Immutable, Alias("Coordinator.MediaStats")]
public sealed record MediaStats(
    [property: Id(0)] long Bitrate,
    [property: Id(1)] long Packets,
    [property: Id(2)] long Bytes,
    [property: Id(3)] long PacketsLost,
    [property: Id(4)] IReadOnlyList<RtpStreamStats> Streams,
    [property: Id(5)] string? Error = null)
{
    public static MediaStats Failed(string error) => new(0, 0, 0, 0, [], error);
}

/// <summary>One RTP stream of a producer (received) or consumer (sent).</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.RtpStreamStats")]
public sealed record RtpStreamStats(
    [property: Id(0)] uint Ssrc,
    [property: Id(1)] string? MimeType,
    [property: Id(2)] long Bitrate,
    [property: Id(3)] long Packets,
    [property: Id(4)] long Bytes,
    [property: Id(5)] long PacketsLost);
