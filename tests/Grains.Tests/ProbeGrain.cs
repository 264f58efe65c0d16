using System.Collections.Concurrent;

namespace Coordinator.Grains.Tests;

/// <summary>A test-only grain with no keep-alive: its deactivation proves that idle collection runs.</summary>
public interface IProbeGrain : IGrainWithGuidKey
{
    Task Touch();
}

public sealed class ProbeGrain : Grain, IProbeGrain
{
    public static readonly ConcurrentDictionary<Guid, bool> Deactivated = new();

    public Task Touch() => Task.CompletedTask;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Deactivated[this.GetPrimaryKey()] = true;
        return Task.CompletedTask;
    }
}
