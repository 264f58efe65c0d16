namespace Coordinator.Grains.Interfaces;

/// <summary>A silo's mediasoup workers: those running, and how many it is configured to run (the others are restarting).</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.MediaPlaneReport")]
public sealed record MediaPlaneReport(
    [property: Id(0)] int ConfiguredWorkers,
    [property: Id(1)] IReadOnlyList<MediaWorkerReport> Workers);

/// <summary>One running mediasoup worker process.</summary>
/// <param name="Id">The worker id rooms name (<c>&lt;prefix&gt;#&lt;n&gt;</c>).</param>
/// <param name="Routers">Routers (rooms) on it.</param>
/// <param name="CpuPercent">CPU time used over <paramref name="CpuWindowSeconds"/>, in percent of one core; null before a window has passed.</param>
/// <param name="CpuWindowSeconds">The window <paramref name="CpuPercent"/> was measured over: since the previous look, at least one second.</param>
/// <param name="MemoryBytes">Resident memory (RSS); null when it could not be read.</param>
[GenerateSerializer, Immutable, Alias("Coordinator.MediaWorkerReport")]
public sealed record MediaWorkerReport(
    [property: Id(0)] string Id,
    [property: Id(1)] int Pid,
    [property: Id(2)] int Routers,
    [property: Id(3)] double? CpuPercent,
    [property: Id(4)] double? CpuWindowSeconds,
    [property: Id(5)] long? MemoryBytes);
