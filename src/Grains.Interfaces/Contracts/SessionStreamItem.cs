using System.Text.Json;

namespace Coordinator.Grains.Interfaces;

/// <summary>
/// One item of a gateway's notification stream, for one of its sessions. A session's items are
/// numbered 1, 2, 3 … by the peer's grain, their only publisher, so the gateway can see a gap or a
/// duplicate; items of other sessions on the same stream are numbered apart.
/// </summary>
[GenerateSerializer, Immutable, Alias("Coordinator.SessionStreamItem")]
public sealed record SessionStreamItem
{
    [Id(4)]
    public required Guid SessionId { get; init; }

    [Id(0)]
    public required long Seq { get; init; }

    /// <summary>A mediasoup notification (<c>{method, target:'peer', notification:true, …}</c>) to forward.</summary>
    [Id(1)]
    public JsonElement? Notification { get; init; }

    /// <summary>Set when the server ends this session: the gateway closes the socket with this code.</summary>
    [Id(2)]
    public SessionEnd? End { get; init; }

    /// <summary>When the Peer grain published it (UTC ticks), for the gateway's delivery-latency metrics.</summary>
    [Id(3)]
    public long PublishedAtTicks { get; init; }
}

/// <summary>Why and how the server ends a session's socket.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.SessionEnd")]
public sealed record SessionEnd([property: Id(0)] int CloseCode, [property: Id(1)] string Reason);
