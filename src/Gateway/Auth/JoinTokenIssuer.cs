using Coordinator.Grains.Interfaces;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Gateway.Auth;

/// <summary>Mints join tokens (for the command-line tool, for tests, and for applications in .NET).</summary>
public static class JoinTokenIssuer
{
    public static string Create(SecurityKey signingKey, string roomId, string peerName, PeerGrants grants, TimeSpan lifetime, string? issuer = null, string? audience = null)
    {
        // Only an expiry: no default not-before/issued-at, which a negative lifetime would contradict.
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            SigningCredentials = new SigningCredentials(signingKey, TokenKeys.Algorithm(signingKey)),
            Issuer = issuer,
            Audience = audience,
            Expires = DateTime.UtcNow + lifetime,
            Claims = new Dictionary<string, object>
            {
                [JoinToken.RoomClaim] = roomId,
                [JoinToken.PeerClaim] = peerName,
                [JoinToken.GrantsClaim] = JoinToken.GrantNames.Where(pair => grants.HasFlag(pair.Value)).Select(pair => pair.Key).ToArray(),
            },
        });
    }
}
