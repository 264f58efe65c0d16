using System.Text.Json;

namespace Coordinator.Grains.Interfaces;

/// <summary>
/// Everything the Room knows about one open room, for operators. Each transport, producer and
/// consumer carries the worker's own dump of that object (<c>Worker</c>, queried one object at a
/// time), or why it could not be had (<c>WorkerError</c>); both are null when dumps were not asked for.
/// With stats asked for, each producer and enabled consumer carries its <see cref="MediaStats"/>,
/// up to <see cref="RoomDumpRequest.MaxStatsObjects"/>; <see cref="StatsOmitted"/> counts those left out.
/// </summary>
[GenerateSerializer, Immutable, Alias("Coordinator.RoomDump")]
public sealed record RoomDump(
    [property: Id(0)] string Id,
    [property: Id(1)] Guid Incarnation,
    [property: Id(2)] string Silo,
    [property: Id(3)] string Worker,
    [property: Id(4)] DateTimeOffset OpenedAt,
    [property: Id(5)] RoomLifecycleSettings Settings,
    [property: Id(6)] IReadOnlyList<PeerDump> Peers,
    [property: Id(7)] int StatsOmitted = 0);

/// <summary>What a room dump includes besides the Room's own state.</summary>
/// <param name="WorkerDumps">The worker's dump of each transport, producer and consumer (one worker request each).</param>
/// <param name="MaxStatsObjects">Producers and consumers whose stats to ask the worker for (one request each; producers first, in join order); 0 for none.</param>
[GenerateSerializer, Immutable, Alias("Coordinator.RoomDumpRequest")]
public sealed record RoomDumpRequest(
    [property: Id(0)] bool WorkerDumps,
    [property: Id(1)] int MaxStatsObjects = 0);

/// <summary>A joined peer, in join order.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.PeerDump")]
public sealed record PeerDump(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Spy,
    [property: Id(2)] PeerGrants Grants,
    [property: Id(3)] Guid SessionId,
    [property: Id(4)] JsonElement? AppData,
    [property: Id(5)] IReadOnlyList<TransportDump> Transports,
    [property: Id(6)] IReadOnlyList<ProducerDump> Producers,
    [property: Id(7)] IReadOnlyList<ConsumerDump> Consumers);

/// <summary>A transport; <see cref="Kind"/> is <c>webrtc</c> or <c>plain</c>.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.TransportDump")]
public sealed record TransportDump(
    [property: Id(0)] uint Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string IceState,
    [property: Id(3)] string DtlsState,
    [property: Id(4)] bool StatsEnabled,
    [property: Id(5)] JsonElement? Direction,
    [property: Id(6)] JsonElement? AppData,
    [property: Id(7)] JsonElement? Worker,
    [property: Id(8)] string? WorkerError);

/// <summary>A producer. <see cref="LocallyPaused"/>: paused by the server (the admin API); <see cref="RemotelyPaused"/>: by its client.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.ProducerDump")]
public sealed record ProducerDump(
    [property: Id(0)] uint Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] uint TransportId,
    [property: Id(3)] bool Paused,
    [property: Id(4)] bool LocallyPaused,
    [property: Id(5)] bool RemotelyPaused,
    [property: Id(6)] IReadOnlyList<uint> ConsumerIds,
    [property: Id(7)] JsonElement? AppData,
    [property: Id(8)] JsonElement? Worker,
    [property: Id(9)] string? WorkerError,
    [property: Id(10)] MediaStats? Stats = null);

/// <summary>A consumer owned by the peer it is listed under, fed by <see cref="ProducerId"/> of <see cref="ProducerPeer"/>.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.ConsumerDump")]
public sealed record ConsumerDump(
    [property: Id(0)] uint Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] uint ProducerId,
    [property: Id(3)] string ProducerPeer,
    [property: Id(4)] uint? TransportId,
    [property: Id(5)] bool Paused,
    [property: Id(6)] bool LocallyPaused,
    [property: Id(7)] bool RemotelyPaused,
    [property: Id(8)] bool SourcePaused,
    [property: Id(9)] string PreferredProfile,
    [property: Id(10)] string? EffectiveProfile,
    [property: Id(11)] JsonElement? Worker,
    [property: Id(12)] string? WorkerError,
    [property: Id(13)] MediaStats? Stats = null);
