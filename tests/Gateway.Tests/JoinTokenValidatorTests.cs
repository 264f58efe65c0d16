using System.Security.Cryptography;
using Coordinator.Gateway.Auth;
using Coordinator.Grains.Interfaces;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Gateway.Tests;

/// <summary>Join tokens signed with asymmetric keys (RS256, ES256) and the claims a token must carry.</summary>
public sealed class JoinTokenValidatorTests : IDisposable
{
    private readonly string _publicKeyFile = Path.GetTempFileName();

    [Fact]
    public async Task An_ES256_token_is_checked_with_the_configured_public_key()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(_publicKeyFile, ec.ExportSubjectPublicKeyInfoPem());
        var validator = new JoinTokenValidator(new TokenOptions { PublicKeyFile = _publicKeyFile, Issuer = "app", Audience = "coordinator" });

        var token = JoinTokenIssuer.Create(new ECDsaSecurityKey(ec), "r", "alice", PeerGrants.Publish | PeerGrants.Spy, TimeSpan.FromMinutes(1), "app", "coordinator");
        var wrongAudience = JoinTokenIssuer.Create(new ECDsaSecurityKey(ec), "r", "alice", PeerGrants.Publish, TimeSpan.FromMinutes(1), "app", "elsewhere");

        Assert.Equal(new JoinToken("r", "alice", PeerGrants.Publish | PeerGrants.Spy), await validator.ValidateAsync(token));
        await Assert.ThrowsAsync<JoinTokenException>(() => validator.ValidateAsync(wrongAudience));
    }

    [Fact]
    public async Task An_RS256_token_is_checked_with_the_configured_public_key()
    {
        using var rsa = RSA.Create(2048);
        File.WriteAllText(_publicKeyFile, rsa.ExportSubjectPublicKeyInfoPem());
        var validator = new JoinTokenValidator(new TokenOptions { PublicKeyFile = _publicKeyFile });
        using var other = RSA.Create(2048);

        var token = JoinTokenIssuer.Create(new RsaSecurityKey(rsa), "r", "bob", PeerGrants.Subscribe, TimeSpan.FromMinutes(1));
        var forged = JoinTokenIssuer.Create(new RsaSecurityKey(other), "r", "bob", PeerGrants.All, TimeSpan.FromMinutes(1));

        Assert.Equal(PeerGrants.Subscribe, (await validator.ValidateAsync(token)).Grants);
        var refusal = await Assert.ThrowsAsync<JoinTokenException>(() => validator.ValidateAsync(forged));
        Assert.Contains("signature", refusal.Message);
    }

    [Fact]
    public async Task During_a_key_rotation_tokens_of_both_keys_are_accepted()
    {
        var current = TokenKeys.NewSymmetricKey();
        var previous = TokenKeys.NewSymmetricKey();
        var validator = new JoinTokenValidator(new TokenOptions { SigningKey = current, PreviousSigningKey = previous });

        foreach (var key in new[] { current, previous })
        {
            var token = JoinTokenIssuer.Create(TokenKeys.Symmetric(key), "r", "p", PeerGrants.Publish, TimeSpan.FromMinutes(1));
            Assert.Equal("p", (await validator.ValidateAsync(token)).PeerName);
        }
    }

    [Fact]
    public void A_short_shared_key_is_refused_at_start_up()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new JoinTokenValidator(new TokenOptions { SigningKey = Convert.ToBase64String(new byte[16]) }));

        Assert.Contains("32 bytes", failure.Message);
    }

    public void Dispose() => File.Delete(_publicKeyFile);
}
