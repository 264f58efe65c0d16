using Microsoft.Extensions.Configuration;

namespace Coordinator.Silo.Hosting;

/// <summary>Mutual TLS between silos and from gateways to silos (configuration section <c>Orleans:Tls</c>).</summary>
public sealed record ClusterTlsOptions
{
    public const string Section = $"{ClusterSettings.Section}:Tls";

    /// <summary>Off by default: the embedded single node has no cluster traffic to protect.</summary>
    public bool Enabled { get; set; }

    /// <summary>This node's certificate (PEM), signed by the cluster CA.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Its private key (PEM, unencrypted).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The cluster CA certificate(s) (PEM, one or more): a peer is accepted only if its certificate chains to one of them.</summary>
    public string? CaCertificatePath { get; set; }

    public static ClusterTlsOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ClusterTlsOptions>() ?? new ClusterTlsOptions();
}
