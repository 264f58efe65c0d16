using System.Text.Json;

namespace Coordinator.Protocol.Messages;

/// <summary>Where a mediasoup request from a socket goes (docs/protocol.md#routing).</summary>
public enum RequestDestination
{
    /// <summary>The Room answers <c>queryRoom</c>.</summary>
    QueryRoom,

    /// <summary>The Room admits the socket's peer.</summary>
    Join,

    /// <summary>The socket's own joined peer.</summary>
    Peer,

    /// <summary>Answered at once with <see cref="RequestRoute.ErrorCode"/> and <see cref="RequestRoute.ErrorReason"/>.</summary>
    Refused,
}

/// <summary>A routing decision; a refusal carries the protoo error the reference app answers with.</summary>
public readonly record struct RequestRoute(RequestDestination Destination, int ErrorCode = 0, string? ErrorReason = null)
{
    public static RequestRoute Refuse(int code, string reason) => new(RequestDestination.Refused, code, reason);
}

/// <summary>
/// The reference app's dispatch of a socket's mediasoup requests. It looks at the method only, never
/// at <c>target</c>: <c>queryRoom</c> and <c>join</c> go to the Room, everything else to the
/// socket's peer once it has joined. A socket can only ever act as the peer it was opened for.
/// </summary>
public static class RequestRouting
{
    public const string NotYourPeerName = "that is not your corresponding mediasoup Peer name";
    public const string AlreadyJoined = "already have a mediasoup Peer";
    public const string NotJoined = "no mediasoup Peer";

    public static RequestRoute Route(JsonElement request, bool joined, string socketPeerName)
    {
        switch (JsJson.StringProperty(request, "method"))
        {
            case "queryRoom":
                return new RequestRoute(RequestDestination.QueryRoom);
            case "join":
                if (JsJson.StringProperty(request, "peerName") != socketPeerName)
                {
                    return RequestRoute.Refuse(403, NotYourPeerName);
                }

                return joined ? RequestRoute.Refuse(500, AlreadyJoined) : new RequestRoute(RequestDestination.Join);
            default:
                return joined ? new RequestRoute(RequestDestination.Peer) : RequestRoute.Refuse(400, NotJoined);
        }
    }
}
