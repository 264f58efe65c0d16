using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// This node's cluster certificate and the cluster CA, read from PEM files (<see cref="ClusterTlsOptions"/>).
/// Start-up fails with the reason when a file is missing or unusable. Afterwards the files are
/// looked at (a hash of their contents) whenever a connection is made: changed files are read
/// again, and if the new set is unusable (a key that does not match the certificate, say, because
/// only one of the two has been replaced yet) the previous set stays in use until the files change
/// again. A peer is a cluster member when its certificate chains to one of the CA certificates.
/// </summary>
public sealed partial class ClusterCertificates
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly Files _files;
    private readonly bool _serverAuthentication;
    private readonly Lock _lock = new();
    private Credentials _current;
    private FileStamps _currentStamps;
    private FileStamps? _rejectedStamps;
    private ILogger _logger = NullLogger.Instance;

    private ClusterCertificates(Files files, bool serverAuthentication, Credentials current, FileStamps stamps)
    {
        _files = files;
        _serverAuthentication = serverAuthentication;
        _current = current;
        _currentStamps = stamps;
    }

    /// <summary>The certificate this node presents (reread first if its files changed).</summary>
    public X509Certificate2 Current => Refresh().Certificate;

    /// <summary>The CA certificates a peer's certificate must chain to (reread first if the files changed).</summary>
    public X509Certificate2Collection Authorities => Refresh().Authorities;

    /// <summary>
    /// Reads and checks the files of <paramref name="options"/>; throws <see cref="InvalidOperationException"/>
    /// naming the setting and the problem. <paramref name="serverAuthentication"/>: the node also accepts
    /// connections (a silo), so its certificate must allow server authentication too.
    /// </summary>
    public static ClusterCertificates Load(ClusterTlsOptions options, bool serverAuthentication)
    {
        var files = new Files(
            Required(options.CertificatePath, nameof(options.CertificatePath)),
            Required(options.KeyPath, nameof(options.KeyPath)),
            Required(options.CaCertificatePath, nameof(options.CaCertificatePath)));
        var stamps = FileStamps.Of(files);
        return new ClusterCertificates(files, serverAuthentication, Read(files, serverAuthentication), stamps);
    }

    /// <summary>True when <paramref name="certificate"/> chains to a cluster CA certificate and is within its validity period.</summary>
    public bool IsClusterMember(X509Certificate2 certificate)
    {
        var authorities = Authorities;
        if (Chains(certificate, authorities, out var problem))
        {
            return true;
        }

        LogPeerRejected(_logger, certificate.Subject, certificate.Issuer, certificate.Thumbprint, problem);
        return false;
    }

    /// <summary>From now on, reloads and rejected peers are logged here.</summary>
    public void UseLogger(ILogger logger)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_logger, NullLogger.Instance))
            {
                LogInUse(logger, Describe(_current.Certificate), _current.Authorities.Count, _files.Authorities);
            }

            _logger = logger;
        }
    }

    private Credentials Refresh()
    {
        var stamps = FileStamps.Of(_files);
        lock (_lock)
        {
            if (stamps == _currentStamps || stamps == _rejectedStamps)
            {
                return _current;
            }

            try
            {
                _current = Read(_files, _serverAuthentication);
                _currentStamps = stamps;
                _rejectedStamps = null;
                LogReloaded(_logger, Describe(_current.Certificate), _current.Authorities.Count);
            }
            catch (InvalidOperationException exception)
            {
                // Often a rotation half done: look again when the files change next.
                _rejectedStamps = stamps;
                LogReloadFailed(_logger, exception.Message);
            }

            return _current;
        }
    }

    private static Credentials Read(Files files, bool serverAuthentication)
    {
        foreach (var (path, setting) in new[] { (files.Certificate, "CertificatePath"), (files.Key, "KeyPath"), (files.Authorities, "CaCertificatePath") })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{ClusterTlsOptions.Section}:{setting}: the file {path} does not exist.");
            }
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(files.Certificate, files.Key);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"{ClusterTlsOptions.Section}: cannot use the certificate {files.Certificate} with the private key {files.Key} "
                + $"(both PEM, the key unencrypted, and belonging to the certificate): {exception.Message}", exception);
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(files.Authorities);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidOperationException($"{ClusterTlsOptions.Section}:CaCertificatePath: cannot read {files.Authorities} as PEM certificates: {exception.Message}", exception);
        }

        if (authorities.Count == 0)
        {
            throw new InvalidOperationException($"{ClusterTlsOptions.Section}:CaCertificatePath: {files.Authorities} holds no PEM certificate.");
        }

        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<Oid>()).Select(oid => oid.Value).ToList();
        if (usages.Count > 0 && (!usages.Contains(ClientAuthentication.Value) || (serverAuthentication && !usages.Contains(ServerAuthentication.Value))))
        {
            throw new InvalidOperationException(
                $"{ClusterTlsOptions.Section}:CertificatePath: {files.Certificate} ({Describe(certificate)}) must allow "
                + (serverAuthentication ? "both TLS server and client authentication (a silo accepts and opens connections)" : "TLS client authentication")
                + " in its extended key usage.");
        }

        if (!Chains(certificate, authorities, out var problem))
        {
            throw new InvalidOperationException(
                $"{ClusterTlsOptions.Section}:CertificatePath: {files.Certificate} ({Describe(certificate)}) is not accepted by the cluster CA in {files.Authorities}: {problem}. "
                + "The other nodes would refuse it too.");
        }

        return new Credentials(certificate, authorities);
    }

    private static bool Chains(X509Certificate2 certificate, X509Certificate2Collection authorities, out string problem)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(authorities);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        if (chain.Build(certificate))
        {
            problem = "";
            return true;
        }

        problem = string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation.Trim()).Distinct());
        return false;
    }

    private static string Required(string? path, string setting) => path is { Length: > 0 }
        ? Path.GetFullPath(path)
        : throw new InvalidOperationException($"{ClusterTlsOptions.Section}:Enabled is true but {ClusterTlsOptions.Section}:{setting} is not set.");

    private static string Describe(X509Certificate2 certificate) =>
        $"subject {certificate.Subject}, issuer {certificate.Issuer}, valid until {certificate.NotAfter.ToUniversalTime():u}";

    private sealed record Files(string Certificate, string Key, string Authorities);

    private sealed record Credentials(X509Certificate2 Certificate, X509Certificate2Collection Authorities);

    /// <summary>
    /// A hash of each of the three files' contents (a missing or unreadable file has none). Not
    /// their modification times: a file replaced within the file system's clock tick by one of the
    /// same size (a certificate from the same CA) would look unchanged.
    /// </summary>
    private readonly record struct FileStamps(string? Certificate, string? Key, string? Authorities)
    {
        public static FileStamps Of(Files files) => new(Stamp(files.Certificate), Stamp(files.Key), Stamp(files.Authorities));

        private static string? Stamp(string path)
        {
            try
            {
                return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster TLS on: this node presents the certificate with {Certificate}, and accepts peers whose certificate chains to one of the {Count} CA certificate(s) in {Path}")]
    private static partial void LogInUse(ILogger logger, string certificate, int count, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster TLS: the certificate files changed; new connections now use the certificate with {Certificate} and {Count} CA certificate(s)")]
    private static partial void LogReloaded(ILogger logger, string certificate, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cluster TLS: the certificate files changed but cannot be used, the previous certificate and CA stay in use: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster TLS: refused a peer whose certificate (subject {Subject}, issuer {Issuer}, thumbprint {Thumbprint}) does not chain to the cluster CA: {Problem}")]
    private static partial void LogPeerRejected(ILogger logger, string subject, string issuer, string thumbprint, string problem);
}
