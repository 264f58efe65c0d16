using System.Text.Json;
using Coordinator.Gateway.Auth;
using Coordinator.Grains.Interfaces;
using Coordinator.Protocol.Frontend;
using Coordinator.Protocol.Messages;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Gateway.Frontend;

/// <summary>
/// The <c>data</c> of an <c>openSession</c> request: <c>{session, roomId, peerName, grants}</c>,
/// checked as a browser's socket URL is (<see cref="PeerIdentifiers"/>).
/// </summary>
internal sealed record FrontendSessionRequest(string Session, string RoomId, string PeerName, PeerGrants Grants)
{
    /// <summary>The grants a frontend may give a peer: a peer's own, never a connection's.</summary>
    private static readonly PeerGrants PeerGrantsOnly = PeerGrants.Publish | PeerGrants.Subscribe | PeerGrants.Spy;

    /// <summary>The request, or null with the reason in <paramref name="problem"/>.</summary>
    public static FrontendSessionRequest? Read(JsonElement data, out string? problem)
    {
        var session = JsJson.StringProperty(data, "session");
        var roomId = JsJson.StringProperty(data, "roomId");
        var peerName = JsJson.StringProperty(data, "peerName");
        problem = session is null || session.Length == 0 ? "data.session must be a non-empty string"
            : session.Length > FrontendFrames.MaxSessionIdLength ? $"data.session is longer than {FrontendFrames.MaxSessionIdLength} characters"
            : roomId is null ? "data.roomId must be a string"
            : peerName is null ? "data.peerName must be a string"
            : PeerIdentifiers.Refusal("roomId", roomId) ?? PeerIdentifiers.Refusal("peerName", peerName);
        if (problem is not null)
        {
            return null;
        }

        var grants = ReadGrants(data, out problem);
        return problem is null ? new FrontendSessionRequest(session!, roomId!, peerName!, grants) : null;
    }

    private static PeerGrants ReadGrants(JsonElement data, out string? problem)
    {
        problem = null;
        if (!data.TryGetProperty("grants", out var names) || names.ValueKind != JsonValueKind.Array)
        {
            problem = "data.grants must be an array of grant names (publish, subscribe, spy)";
            return PeerGrants.None;
        }

        var grants = PeerGrants.None;
        foreach (var name in names.EnumerateArray())
        {
            if (name.ValueKind != JsonValueKind.String
                || !JoinToken.GrantNames.TryGetValue(name.GetString()!, out var grant)
                || (grant & ~PeerGrantsOnly) != 0)
            {
                problem = $"data.grants: {name.GetRawText()} is not a peer grant (publish, subscribe, spy)";
                return PeerGrants.None;
            }

            grants |= grant;
        }

        return grants;
    }
}
