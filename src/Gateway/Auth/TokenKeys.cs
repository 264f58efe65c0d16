using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Gateway.Auth;

/// <summary>Loads signing keys from configuration values and PEM files.</summary>
public static class TokenKeys
{
    public const int MinimumSymmetricKeyBytes = 32;

    public static SymmetricSecurityKey Symmetric(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Gateway:Tokens:SigningKey must be base64.");
        }

        return bytes.Length >= MinimumSymmetricKeyBytes
            ? new SymmetricSecurityKey(bytes)
            : throw new InvalidOperationException($"Gateway:Tokens:SigningKey must hold at least {MinimumSymmetricKeyBytes} bytes.");
    }

    /// <summary>An EC or RSA key from PEM text (public for validation, private for signing).</summary>
    public static AsymmetricSecurityKey FromPem(string pem)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            ec.Dispose();
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa);
    }

    public static string Algorithm(SecurityKey key) => key switch
    {
        SymmetricSecurityKey => SecurityAlgorithms.HmacSha256,
        RsaSecurityKey => SecurityAlgorithms.RsaSha256,
        ECDsaSecurityKey => SecurityAlgorithms.EcdsaSha256,
        _ => throw new ArgumentException($"Unsupported key {key.GetType().Name}", nameof(key)),
    };

    public static string NewSymmetricKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumSymmetricKeyBytes));
}
