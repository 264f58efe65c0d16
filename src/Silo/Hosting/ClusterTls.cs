using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Wires <see cref="ClusterCertificates"/> into Orleans' TLS connection middleware
/// (<c>Microsoft.Orleans.Connections.Security</c>): every connection on the silo port and the
/// gateway port, inbound and outbound, is TLS, both ends present a certificate, and each end
/// accepts the other only if that certificate chains to the cluster CA (the system's trusted roots
/// play no part). The certificate and the CA are read per new connection, so replaced files take
/// effect without a restart.
/// </summary>
public static class ClusterTls
{
    /// <summary>Silo side (section <c>Orleans:Tls</c>); nothing when it is disabled.</summary>
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = ClusterTlsOptions.From(configuration);
        if (!options.Enabled)
        {
            return silo;
        }

        // A silo accepts connections (server) and opens them (client): its certificate must allow both.
        var certificates = ClusterCertificates.Load(options, serverAuthentication: true);
        silo.Services.AddSingleton(certificates);
        var tls = TlsOptionsFor(certificates);
        return silo.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(connection => Logged(connection, certificates).UseServerTls(tls));
            connections.ConfigureGatewayInboundConnection(connection => Logged(connection, certificates).UseServerTls(tls));
            connections.ConfigureSiloOutboundConnection(connection => Logged(connection, certificates).UseClientTls(tls));
        });
    }

    /// <summary>Orleans client side (a standalone gateway) from section <c>Orleans:Tls</c>; nothing when it is disabled.</summary>
    public static IClientBuilder UseClusterTls(this IClientBuilder client, IConfiguration configuration) =>
        client.UseClusterTls(ClusterTlsOptions.From(configuration));

    /// <summary>Orleans client side with explicit options (also used by tests' clients).</summary>
    public static IClientBuilder UseClusterTls(this IClientBuilder client, ClusterTlsOptions options)
    {
        if (!options.Enabled)
        {
            return client;
        }

        var certificates = ClusterCertificates.Load(options, serverAuthentication: false);
        client.Services.AddSingleton(certificates);
        var tls = TlsOptionsFor(certificates);
        return client.Configure<ClientConnectionOptions>(connections =>
            connections.ConfigureConnection(connection => Logged(connection, certificates).UseClientTls(tls)));
    }

    private static TlsOptions TlsOptionsFor(ClusterCertificates certificates) => new()
    {
        // Orleans checks this one at start (it must have a private key and the right key usages);
        // the selectors below hand out the current one, reloaded when its files change.
        LocalCertificate = certificates.Current,
        LocalServerCertificateSelector = (_, _) => certificates.Current,
        LocalClientCertificateSelector = (_, _, _, _, _) => certificates.Current,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        // Replaces the platform's validation entirely: the chain is built against the cluster CA
        // alone. Host names are not checked: silos are reached by IP address and every holder of
        // a certificate from the cluster CA is a member (SECURITY.md).
        RemoteCertificateValidation = (certificate, _, _) => certificates.IsClusterMember(certificate),
    };

    /// <summary>The connection pipeline is built once the container exists: the certificates log through the host from then on.</summary>
    private static IConnectionBuilder Logged(IConnectionBuilder connection, ClusterCertificates certificates)
    {
        certificates.UseLogger(connection.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<ClusterCertificates>());
        return connection;
    }
}
