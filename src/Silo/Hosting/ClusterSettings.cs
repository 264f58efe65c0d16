using Microsoft.Extensions.Configuration;
namespace Coordinator.Silo.Hosting;

/// <summary>Cluster identity, membership store and ports (configuration section <c>Orleans</c>).</summary>
public sealed class ClusterSettings
{
    public const string Section = "Orleans";

    /// <summary>
    /// <see cref="ClusteringMode.Localhost"/> (one machine, the default), <see cref="ClusteringMode.Redis"/>
    /// or <see cref="ClusteringMode.PostgreSql"/>.
    /// (Not <c>Orleans:Clustering</c>: Orleans reads that subsection itself as a provider definition.)
    /// </summary>
    public ClusteringMode MembershipStore { get; set; } = ClusteringMode.Localhost;

    /// <summary>StackExchange.Redis connection string of the membership and pub-sub store (Redis clustering).</summary>
    public string RedisConnectionString { get; set; } = "localhost:6379";

    /// <summary>
    /// Npgsql connection string of the membership and pub-sub store (PostgreSQL clustering). Prefer
    /// <see cref="PostgreSqlConnectionStringFile"/> or the environment for one with a password.
    /// </summary>
    public string? PostgreSqlConnectionString { get; set; }

    /// <summary>A file holding the Npgsql connection string (a mounted secret); the alternative to <see cref="PostgreSqlConnectionString"/>.</summary>
    public string? PostgreSqlConnectionStringFile { get; set; }

    /// <summary>Whether silos and gateways create the store's tables and queries at start when missing (PostgreSQL clustering).</summary>
    public bool PostgreSqlCreateSchema { get; set; } = true;

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

    public bool UsesPostgreSql => MembershipStore == ClusteringMode.PostgreSql;

    /// <summary>A real cluster: membership and pub-sub state in an external store (Redis or PostgreSQL).</summary>
    public bool UsesExternalStore => UsesRedis || UsesPostgreSql;

    public static ClusterSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();
}

public enum ClusteringMode
{
    /// <summary>One machine: silos find each other through the primary silo's port; memory pub-sub.</summary>
    Localhost,

    /// <summary>A real cluster: membership and stream pub-sub state in Redis, so they survive any one silo.</summary>
    Redis,

    /// <summary>A real cluster with membership and stream pub-sub state in PostgreSQL (Orleans' ADO.NET providers).</summary>
    PostgreSql,
}
