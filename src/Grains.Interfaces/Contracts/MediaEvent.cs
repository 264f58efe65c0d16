namespace Coordinator.Grains.Interfaces;

/// <summary>A media worker event for a Room, with protocol ids, delivered in the worker's order.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.MediaEvent")]
public sealed record MediaEvent(
    [property: Id(0)] MediaEventKind Kind,
    [property: Id(1)] uint ObjectId = 0,
    [property: Id(2)] string? Value = null,
    [property: Id(3)] IReadOnlyList<AudioLevelEntry>? Levels = null);

[GenerateSerializer, Alias("Coordinator.MediaEventKind")]
public enum MediaEventKind
{
    /// <summary>The router is gone (its worker died); <see cref="MediaEvent.Value"/> says why.</summary>
    RouterClosed,
    TransportClosed,
    IceStateChanged,
    DtlsStateChanged,
    ConsumerClosed,
    ConsumerSourcePaused,
    ConsumerSourceResumed,
    ConsumerEffectiveProfileChanged,
    AudioLevels,
}

/// <summary>One producer's audio level in dBov (-127 … 0).</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.AudioLevelEntry")]
public readonly record struct AudioLevelEntry([property: Id(0)] uint ProducerId, [property: Id(1)] int DBov);
