namespace Coordinator.MemoryFloor;

/// <summary>A grain that does nothing but exist and publish one item, as a peer's grain does after a join.</summary>
[Alias("Coordinator.MemoryFloor.IIdleGrain")]
public interface IIdleGrain : IGrainWithStringKey
{
    /// <summary>Activates the grain and, when <paramref name="streamKey"/> is given, publishes one item on that session stream.</summary>
    [Alias("Touch")]
    Task TouchAsync(string? streamKey);
}
