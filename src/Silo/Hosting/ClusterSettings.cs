using Microsoft.Extensions.Configuration;
namespace Coordinator.Silo.Hosting;

/// <summary>Cluster identity, membership store and ports (configuration section <c>Orleans</c>).</summary>
public sealed class ClusterSettings
{
    public const string Section = "Orleans";

    /// <summary>
    /// <see cref="ClusteringMode.Localhost"/> (one machine, the default) or <see cref="ClusteringMode.Redis"/>.
    /// (Not <c>Orleans:Clustering</c>: Orleans reads that subsection itself as a provider definition.)
    /// </summary>
    public ClusteringMode MembershipStore { get; set; } = ClusteringMode.Localhost;

    /// <summary>StackExchange.Redis connection string of the membership and pub-sub store (Redis clustering).</summary>
    public string RedisConnectionString { get; set; } = "localhost:6379";

    public string ClusterId { get; set; } = "coordinator";

    public string ServiceId { get; set; } = "coordinator";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port where clients (standalone gateways) connect to a silo.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and gateways use to reach this silo (Redis clustering). Default:
    /// this host's first non-loopback address, which is what a container needs.
    /// </summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>
    /// The address the silo-to-silo and gateway ports listen on (Redis clustering). Default: the
    /// advertised address only. <c>0.0.0.0</c> (every interface) is for containers, where the
    /// advertised address may not be one of the container's own.
    /// </summary>
    public string? ListenAddress { get; set; }

    public bool UsesRedis => MembershipStore == ClusteringMode.Redis;

    public static ClusterSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();
}

public enum ClusteringMode
{
    /// <summary>One machine: silos find each other through the primary silo's port; memory pub-sub.</summary>
    Localhost,

    /// <summary>A real cluster: membership and stream pub-sub state in Redis, so they survive any one silo.</summary>
    Redis,
}
