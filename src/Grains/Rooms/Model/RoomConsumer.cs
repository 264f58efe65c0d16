using System.Text.Json;
using Coordinator.Protocol.Messages;

namespace Coordinator.Grains.Rooms.Model;

/// <summary>
/// A consumer (docs/protocol.md#state), owned by <see cref="Owner"/> and fed by <see cref="Source"/>.
/// <see cref="SourcePaused"/> mirrors the producer's effective paused state; the Room sets it
/// itself when that state changes, exactly when the worker would report it.
/// </summary>
internal sealed class RoomConsumer(uint id, RoomMember owner, RoomProducer source, JsonElement rtpParameters)
{
    public uint Id { get; } = id;

    public RoomMember Owner { get; } = owner;

    public RoomProducer Source { get; } = source;

    public string Kind => Source.Kind;

    /// <summary>The producer owner's name: the <c>peerName</c> of every consumer notification.</summary>
    public string PeerName => Source.Owner.Name;

    public JsonElement RtpParameters { get; } = rtpParameters;

    /// <summary>The transport it is enabled on; null while disabled.</summary>
    public RoomTransport? Transport { get; set; }

    public bool Enabled => Transport is not null;

    public bool LocallyPaused { get; set; }

    public bool RemotelyPaused { get; set; }

    public bool SourcePaused { get; set; }

    public bool Paused => LocallyPaused || RemotelyPaused || SourcePaused;

    public string PreferredProfile { get; set; } = "default";

    public string? EffectiveProfile { get; set; }

    public StatsSubscription Stats { get; } = new();

    /// <summary>What the protocol writes about this consumer (its object, its <c>enableConsumer</c> response).</summary>
    public ConsumerDescription Describe() => new(
        Id, Kind, RtpParameters, LocallyPaused, RemotelyPaused, SourcePaused, PreferredProfile, EffectiveProfile, Source.AppData, PeerName);
}
