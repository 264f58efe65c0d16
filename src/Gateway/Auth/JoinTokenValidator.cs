using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Gateway.Auth;

/// <summary>Checks join tokens (JWT: HS256, RS256 or ES256) against the configured keys.</summary>
public sealed class JoinTokenValidator
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters? _parameters;

    public JoinTokenValidator(TokenOptions options)
    {
        var keys = new List<SecurityKey>();
        foreach (var symmetric in new[] { options.SigningKey, options.PreviousSigningKey }.Where(key => !string.IsNullOrEmpty(key)))
        {
            keys.Add(TokenKeys.Symmetric(symmetric!));
        }

        if (!string.IsNullOrEmpty(options.PublicKeyFile))
        {
            keys.Add(TokenKeys.FromPem(File.ReadAllText(options.PublicKeyFile)));
        }

        if (keys.Count == 0)
        {
            return;
        }

        _parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = [.. keys.Select(TokenKeys.Algorithm).Distinct()],
            ValidateIssuer = options.Issuer is not null,
            ValidIssuer = options.Issuer,
            ValidateAudience = options.Audience is not null,
            ValidAudience = options.Audience,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = options.ClockSkew,
        };
    }

    /// <summary>Whether any key is configured (token mode can run).</summary>
    public bool IsConfigured => _parameters is not null;

    public async Task<JoinToken> ValidateAsync(string token)
    {
        if (_parameters is null)
        {
            throw new JoinTokenException("no token keys are configured");
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            throw new JoinTokenException(result.Exception switch
            {
                SecurityTokenExpiredException => "the join token has expired",
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the join token's signature is not valid",
                _ => "the join token is not valid",
            });
        }

        return new JoinToken(
            Text(result.Claims, JoinToken.RoomClaim),
            Text(result.Claims, JoinToken.PeerClaim),
            Grants(result.Claims));
    }

    private static string Text(IDictionary<string, object> claims, string name) =>
        claims.TryGetValue(name, out var value) && value is string text && text.Length > 0
            ? text
            : throw new JoinTokenException($"the join token has no \"{name}\" claim");

    private static PeerGrants Grants(IDictionary<string, object> claims)
    {
        if (!claims.TryGetValue(JoinToken.GrantsClaim, out var value))
        {
            return PeerGrants.None;
        }

        IEnumerable<string?> names = value switch
        {
            string single => [single],
            IEnumerable<object> many => many.Select(item => item as string ?? (item is JsonElement { ValueKind: JsonValueKind.String } element ? element.GetString() : null)),
            _ => throw new JoinTokenException("the join token's \"grants\" claim must be an array of strings"),
        };

        var grants = PeerGrants.None;
        foreach (var name in names)
        {
            grants |= name is not null && JoinToken.GrantNames.TryGetValue(name, out var grant)
                ? grant
                : throw new JoinTokenException($"unknown grant \"{name}\"");
        }

        return grants;
    }
}
