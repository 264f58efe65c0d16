using Coordinator.Grains.Interfaces;

namespace Coordinator.Gateway.Auth;

/// <summary>
/// What a valid join token says: the room and peer it is for and what it allows. Claims:
/// <c>room</c>, <c>peer</c>, <c>grants</c> (an array of <c>publish</c>, <c>subscribe</c>,
/// <c>spy</c>, <c>admin</c>, <c>frontend</c>) and <c>exp</c>.
/// </summary>
public sealed record JoinToken(string RoomId, string PeerName, PeerGrants Grants)
{
    public const string RoomClaim = "room";
    public const string PeerClaim = "peer";
    public const string GrantsClaim = "grants";

    public static readonly IReadOnlyDictionary<string, PeerGrants> GrantNames = new Dictionary<string, PeerGrants>
    {
        ["publish"] = PeerGrants.Publish,
        ["subscribe"] = PeerGrants.Subscribe,
        ["spy"] = PeerGrants.Spy,
        ["admin"] = PeerGrants.Admin,
        ["frontend"] = PeerGrants.Frontend,
    };
}

/// <summary>A join token that cannot be used; the message says why (sent to the client with HTTP 401).</summary>
public sealed class JoinTokenException(string message) : Exception(message);
