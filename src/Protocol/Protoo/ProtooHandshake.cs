namespace Coordinator.Protocol.Protoo;

/// <summary>The reference server's rules for the WebSocket handshake and its limits (docs/protocol.md#envelope).</summary>
public static class ProtooHandshake
{
    /// <summary>The WebSocket sub-protocol a client must offer.</summary>
    public const string SubProtocol = "protoo";

    /// <summary>The response header that carries why a handshake was refused.</summary>
    public const string RejectReasonHeader = "X-WebSocket-Reject-Reason";

    /// <summary>403: the client did not offer <see cref="SubProtocol"/>.</summary>
    public const string InvalidSubProtocol = "Invalid/missing Sec-WebSocket-Protocol";

    /// <summary>400: the URL lacks <c>roomId</c> or <c>peerName</c>.</summary>
    public const string MissingRoomOrPeer = "Connection request without roomId and/or peerName";

    /// <summary>400 (Coordinator only): RFC 6455 allows the upgrade on HTTP/1.1 or later; the reference also takes HTTP/1.0.</summary>
    public const string NeedsHttp11 = "a WebSocket upgrade needs HTTP/1.1 or later";

    /// <summary>400 (Coordinator only): the reference takes the first of repeated parameters; Coordinator refuses the ambiguity.</summary>
    public static string Repeated(string parameter) => $"{parameter} is given more than once";

    /// <summary>The largest message the reference's WebSocket server accepts (it closes with 1009 beyond).</summary>
    public const int MaxMessageBytes = 960_000;
}
