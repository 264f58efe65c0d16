using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests;

/// <summary>A node whose endpoint uses TLS from Kestrel's standard default-certificate settings.</summary>
public sealed class TlsNode : EmbeddedNode
{
    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"coordinator-{Guid.NewGuid():N}.pfx");

    public TlsNode()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(_pfx, certificate.Export(X509ContentType.Pfx, "test-password"));
        Thumbprint = certificate.Thumbprint;
    }

    public string Thumbprint { get; }

    protected override IEnumerable<string> Settings =>
    [
        $"--Kestrel:Certificates:Default:Path={_pfx}",
        "--Kestrel:Certificates:Default:Password=test-password",
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_pfx);
    }
}

public sealed class TlsTests(TlsNode node) : IClassFixture<TlsNode>
{
    [Fact]
    public async Task Clients_connect_with_wss_to_a_node_with_a_certificate()
    {
        Assert.Equal("wss", node.BaseUri.Scheme);
        var uri = node.PeerUri("tls-room", "alice");

        // Trust exactly the node's self-signed certificate.
        await using var alice = await ProtooClient.ConnectAsync(uri, "alice", options =>
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (certificate is X509Certificate2 presented && presented.Thumbprint == node.Thumbprint));

        var response = await alice.QueryRoomAsync();
        Assert.True(response.GetProperty("ok").GetBoolean());
    }
}
