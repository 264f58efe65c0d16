using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Silo.Hosting;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// Certificate authorities and node certificates for cluster TLS, made in-process and written as
/// PEM files to a temporary directory (deleted on dispose), the way scripts/cluster-certs.sh lays
/// them out: one directory per node with <c>node.crt</c>, <c>node.key</c> and <c>ca.crt</c>.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cluster-tls-").FullName;

    /// <summary>A self-signed CA, valid for a day.</summary>
    public static Authority NewAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return new Authority(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1)));
    }

    /// <summary>
    /// Writes <paramref name="node"/>'s directory: a certificate signed by <paramref name="issuer"/>
    /// (server and client authentication) with its key, and <paramref name="trusted"/> as the CA file.
    /// </summary>
    public ClusterTlsOptions Issue(string node, Authority issuer, params Authority[] trusted)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={node}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(node);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
        using var certificate = request.Create(issuer.Certificate, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(16));

        var directory = Directory.CreateDirectory(Path.Combine(_directory, node)).FullName;
        var options = new ClusterTlsOptions
        {
            Enabled = true,
            CertificatePath = Path.Combine(directory, "node.crt"),
            KeyPath = Path.Combine(directory, "node.key"),
            CaCertificatePath = Path.Combine(directory, "ca.crt"),
        };
        File.WriteAllText(options.KeyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(options.CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(options.CaCertificatePath, string.Concat((trusted.Length > 0 ? trusted : [issuer]).Select(ca => ca.Certificate.ExportCertificatePem() + "\n")));
        return options;
    }

    /// <summary>The environment variables that give a process <paramref name="options"/>.</summary>
    public static Dictionary<string, string> Environment(ClusterTlsOptions options) => new()
    {
        ["Orleans__Tls__Enabled"] = options.Enabled ? "true" : "false",
        ["Orleans__Tls__CertificatePath"] = options.CertificatePath ?? "",
        ["Orleans__Tls__KeyPath"] = options.KeyPath ?? "",
        ["Orleans__Tls__CaCertificatePath"] = options.CaCertificatePath ?? "",
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A CA: its certificate with the private key.</summary>
    public sealed record Authority(X509Certificate2 Certificate);
}
