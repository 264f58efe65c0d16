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
}
