using Orleans.Runtime;

namespace Coordinator.Grains.Interfaces.Streams;

/// <summary>The events one publish put on one stream, as a notification queue holds them.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.QueuedBatch")]
public sealed record QueuedBatch([property: Id(0)] StreamId StreamId, [property: Id(1)] object[] Events);
