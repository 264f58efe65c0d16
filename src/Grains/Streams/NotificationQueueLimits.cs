namespace Coordinator.Grains.Streams;

/// <summary>How much a notification queue may hold before appends are refused (bounded memory under a storm).</summary>
public sealed record NotificationQueueLimits(int MaxBatchesPerQueue);
