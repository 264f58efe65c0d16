namespace Coordinator.MemoryFloor;

/// <summary>A grain that does nothing but exist and publish one item, as a peer's grain does after a join.</summary>
[Alias("Coordinator.MemoryFloor.IIdleGrain")]
public interface IIdleGrain : IGrainWithStringKey
{
    /// <summary>Activates the grain and, when <paramref name="sessionId"/> is given, publishes one item for that session on the gateway's stream.</summary>
    [Alias("Touch")]
    Task TouchAsync(Guid? sessionId);
}
