namespace Coordinator.Gateway.Auth;

/// <summary>
/// Join token settings (configuration section <c>Gateway:Tokens</c>). Set a shared HS256 key, a
/// public key (RS256 or ES256), or both; a token must be signed by one of them.
/// </summary>
public sealed class TokenOptions
{
    public const string Section = "Gateway:Tokens";

    /// <summary>Base64 HS256 key, at least 32 bytes.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A second HS256 key still accepted while tokens signed with it expire (key rotation).</summary>
    public string? PreviousSigningKey { get; set; }

    /// <summary>PEM file with an RSA (RS256) or EC P-256 (ES256) public key.</summary>
    public string? PublicKeyFile { get; set; }

    /// <summary>Checked when set.</summary>
    public string? Issuer { get; set; }

    /// <summary>Checked when set.</summary>
    public string? Audience { get; set; }

    /// <summary>Tolerance for clocks that disagree, on expiry and not-before.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
