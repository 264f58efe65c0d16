using Coordinator.Grains.Interfaces;
using Orleans.Runtime;

namespace Coordinator.MemoryFloor;

public sealed class IdleGrain : Grain, IIdleGrain
{
    public Task TouchAsync(Guid? sessionId) =>
        sessionId is not { } session
            ? Task.CompletedTask
            : this.GetStreamProvider(GrainKeys.NotificationStreamProvider)
                .GetStream<SessionStreamItem>(StreamId.Create(GrainKeys.NotificationStreamNamespace, FloorStream.Key))
                .OnNextAsync(new SessionStreamItem { SessionId = session, Seq = 1 });
}
