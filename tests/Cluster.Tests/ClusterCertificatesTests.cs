using System.Security.Cryptography.X509Certificates;
using Coordinator.Silo.Hosting;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// Reading the cluster TLS files (<see cref="ClusterCertificates"/>): the reasons a node refuses to
/// start, and replacing certificates and CAs while it runs (rotation without a restart).
/// </summary>
public sealed class ClusterCertificatesTests : IDisposable
{
    private readonly TestCertificates _files = new();
    private readonly TestCertificates.Authority _ca = TestCertificates.NewAuthority("cluster CA");

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Start_up_fails_with_the_setting_and_the_problem()
    {
        var good = _files.Issue("node", _ca);
        Assert.Equal("Orleans:Tls:Enabled is true but Orleans:Tls:CaCertificatePath is not set.", Refusal(good with { CaCertificatePath = null }));
        Assert.Equal($"Orleans:Tls:CertificatePath: the file {good.CertificatePath}.gone does not exist.", Refusal(good with { CertificatePath = good.CertificatePath + ".gone" }));

        var other = _files.Issue("other", _ca);
        Assert.StartsWith($"Orleans:Tls: cannot use the certificate {good.CertificatePath} with the private key {other.KeyPath}", Refusal(good with { KeyPath = other.KeyPath }), StringComparison.Ordinal);

        var foreign = _files.Issue("foreign", TestCertificates.NewAuthority("another CA"));
        Assert.Contains("is not accepted by the cluster CA", Refusal(foreign with { CaCertificatePath = good.CaCertificatePath }), StringComparison.Ordinal);

        File.WriteAllText(good.CaCertificatePath!, "not a certificate\n");
        Assert.Contains("holds no PEM certificate", Refusal(good), StringComparison.Ordinal);
    }

    [Fact]
    public void Replaced_files_are_used_for_the_next_connection_and_a_half_replaced_pair_is_ignored()
    {
        var options = _files.Issue("node", _ca);
        var certificates = ClusterCertificates.Load(options, serverAuthentication: true);
        var first = certificates.Current.Thumbprint;

        // Only the key replaced so far: it does not match, the current pair stays.
        var next = _files.Issue("next", _ca);
        File.Copy(next.KeyPath!, options.KeyPath!, overwrite: true);
        Assert.Equal(first, certificates.Current.Thumbprint);

        File.Copy(next.CertificatePath!, options.CertificatePath!, overwrite: true);
        var second = certificates.Current.Thumbprint;
        Assert.NotEqual(first, second);
        Assert.Equal(X509CertificateLoader.LoadCertificateFromFile(next.CertificatePath!).Thumbprint, second);
    }

    [Fact]
    public void During_a_CA_rotation_both_CAs_are_trusted_and_afterwards_only_the_new_one()
    {
        var newCa = TestCertificates.NewAuthority("new cluster CA");
        var options = _files.Issue("node", _ca, _ca, newCa);
        var certificates = ClusterCertificates.Load(options, serverAuthentication: true);
        using var oldPeer = X509CertificateLoader.LoadCertificateFromFile(_files.Issue("old-peer", _ca).CertificatePath!);
        using var newPeer = X509CertificateLoader.LoadCertificateFromFile(_files.Issue("new-peer", newCa).CertificatePath!);
        using var stranger = X509CertificateLoader.LoadCertificateFromFile(_files.Issue("stranger", TestCertificates.NewAuthority("another CA")).CertificatePath!);
        Assert.True(certificates.IsClusterMember(oldPeer));
        Assert.True(certificates.IsClusterMember(newPeer));
        Assert.False(certificates.IsClusterMember(stranger));

        // The node gets its certificate from the new CA, then the old CA is dropped.
        var renewed = _files.Issue("node-renewed", newCa);
        File.Copy(renewed.KeyPath!, options.KeyPath!, overwrite: true);
        File.Copy(renewed.CertificatePath!, options.CertificatePath!, overwrite: true);
        File.Copy(renewed.CaCertificatePath!, options.CaCertificatePath!, overwrite: true);
        Assert.Equal(newCa.Certificate.Subject, certificates.Current.Issuer);
        Assert.False(certificates.IsClusterMember(oldPeer));
        Assert.True(certificates.IsClusterMember(newPeer));
    }

    private static string Refusal(ClusterTlsOptions options) =>
        Assert.Throws<InvalidOperationException>(() => ClusterCertificates.Load(options, serverAuthentication: true)).Message;
}
