using Coordinator.Grains.Interfaces;
using Orleans.Runtime;

namespace Coordinator.MemoryFloor;

public sealed class IdleGrain : Grain, IIdleGrain
{
    public Task TouchAsync(string? streamKey) =>
        streamKey is null
            ? Task.CompletedTask
            : this.GetStreamProvider(GrainKeys.NotificationStreamProvider)
                .GetStream<PeerStreamItem>(StreamId.Create(GrainKeys.PeerSessionStreamNamespace, streamKey))
                .OnNextAsync(new PeerStreamItem { Seq = 1 });
}
