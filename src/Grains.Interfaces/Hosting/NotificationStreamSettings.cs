namespace Coordinator.Grains.Interfaces.Hosting;

/// <summary>
/// Tuning of the notification stream provider (configuration section <c>Streams</c>), shared by
/// silos and gateways so both sides agree on the queue layout.
/// </summary>
public sealed class NotificationStreamSettings
{
    public const string Section = "Streams";

    /// <summary>
    /// How long a pulling agent waits after finding its queue empty. Orleans' default of 100 ms
    /// would dominate notification latency; each agent polls its queue at this rate when idle.
    /// </summary>
    public TimeSpan PullingPeriod { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Number of in-memory queues (and so of pulling agents across the cluster).</summary>
    public int Partitions { get; set; } = 4;

    /// <summary>
    /// How long a pulling agent keeps what it knows of a stream that carried nothing (Orleans: 30
    /// minutes). Every session has its own stream, and the agent scans all it knows before each read
    /// of its queue: at 300 sessions a second, two minutes of finished streams made that scan 11 % of
    /// the node's CPU. A quiet live stream just looks its subscriber up again on its next item.
    /// </summary>
    public TimeSpan StreamInactivityPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Idle time after which a stream's pub-sub activation is collected (Orleans: the silo-wide 15
    /// minutes; must exceed the one-minute collection quantum). A finished session's activation has
    /// nothing left to do.
    /// </summary>
    public TimeSpan PubSubCollectionAge { get; set; } = TimeSpan.FromMinutes(2);
}
