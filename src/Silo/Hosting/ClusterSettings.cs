using Microsoft.Extensions.Configuration;
namespace Coordinator.Silo.Hosting;

/// <summary>Cluster identity and ports (configuration section <c>Orleans</c>).</summary>
public sealed class ClusterSettings
{
    public const string Section = "Orleans";

    public string ClusterId { get; set; } = "coordinator";

    public string ServiceId { get; set; } = "coordinator";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port where clients (standalone gateways) connect to a silo.</summary>
    public int GatewayPort { get; set; } = 30000;

    public static ClusterSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();
}
