namespace Coordinator.Grains.Interfaces.Hosting;

/// <summary>
/// The notification streams (configuration section <c>Streams</c>), shared by silos and gateways so
/// both sides agree on the queue layout. Each gateway subscribes once, when it starts, to
/// <see cref="StreamsPerGateway"/> streams of its own, and every peer session it serves is
/// notified on one of them.
/// </summary>
public sealed class NotificationStreamSettings
{
    public const string Section = "Streams";

    /// <summary>
    /// Notification streams per gateway. A stream delivers one batch at a time to its gateway, so
    /// a few let a busy gateway receive in parallel; sessions are spread over them.
    /// </summary>
    public int StreamsPerGateway { get; set; } = 4;

    /// <summary>Queues in the cluster (each read by one pulling agent, on some silo); streams are spread over them.</summary>
    public int Queues { get; set; } = 4;

    /// <summary>
    /// How long a queue's reader waits in the queue for the next batch before asking again. A batch
    /// that arrives meanwhile is handed on at once; this only sets what an idle queue costs (one call
    /// per wait). Below the silo-to-silo call timeout.
    /// </summary>
    public TimeSpan QueueReadWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Batches a queue holds for its reader before refusing more (the publishers retry, then the
    /// sessions concerned see a gap and rejoin): what bounds memory when a reader falls behind.
    /// </summary>
    public int MaxBatchesPerQueue { get; set; } = 20_000;

    /// <summary>
    /// Batches a pulling agent keeps while its subscribers take them; one is dropped as soon as every
    /// subscriber has it. A full cache makes the agent wait before reading more.
    /// </summary>
    public int CachedBatchesPerQueue { get; set; } = 4096;

    /// <summary>
    /// How long a pulling agent keeps what it knows of a stream that carried nothing (Orleans'
    /// default); the next item simply looks the stream's subscribers up again.
    /// </summary>
    public TimeSpan StreamInactivityPeriod { get; set; } = TimeSpan.FromMinutes(30);
}
