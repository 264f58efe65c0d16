using System.Net.WebSockets;

namespace Coordinator.Gateway.Connections;

/// <summary>Close codes for input the gateway will not hold or keep reading (see SECURITY.md).</summary>
internal static class InboundCloseCodes
{
    /// <summary>A message not completed in time, or too many invalid frames: the client broke the gateway's rules.</summary>
    public const WebSocketCloseStatus PolicyViolation = WebSocketCloseStatus.PolicyViolation;

    /// <summary>
    /// 1013 "Try Again Later" (IANA registry): the node holds as many unfinished messages as it may.
    /// The client did nothing wrong and may reconnect.
    /// </summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;
}
