namespace Coordinator.Grains.Interfaces;

/// <summary>How an administrative action on a room went.</summary>
[GenerateSerializer, Alias("Coordinator.AdminStatus")]
public enum AdminStatus
{
    /// <summary>Done; the peers concerned were told.</summary>
    Done,

    /// <summary>The target was already in the requested state: nothing changed, nobody was told.</summary>
    Unchanged,

    /// <summary>The room is not open (never used, or closed).</summary>
    RoomNotFound,

    PeerNotFound,

    ProducerNotFound,
}

/// <summary>The outcome of a server-side producer pause or resume, with the producer's flags afterwards.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.ProducerPauseResult")]
public sealed record ProducerPauseResult(
    [property: Id(0)] AdminStatus Status,
    [property: Id(1)] string? PeerName = null,
    [property: Id(2)] bool Paused = false,
    [property: Id(3)] bool LocallyPaused = false,
    [property: Id(4)] bool RemotelyPaused = false);
