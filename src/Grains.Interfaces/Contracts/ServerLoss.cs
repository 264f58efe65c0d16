namespace Coordinator.Grains.Interfaces;

/// <summary>
/// A silo that held a session's room or Peer failed. The session cannot go on: its requests still
/// waiting are answered <see cref="Code"/> with one of these reasons, and its socket is closed with
/// <see cref="CloseCodes.ReconnectAndRejoin"/> and the same reason. Retrying after a rejoin is safe:
/// the rejoin opens the room afresh on a surviving silo.
/// </summary>
public static class ServerLoss
{
    public const int Code = 503;

    public const string RoomServerFailed = "the server hosting this room failed: rejoin";

    public const string PeerServerFailed = "the server holding this peer failed: rejoin";

    /// <summary>
    /// Whether a grain call failed because the silo it went to is gone or unreachable (the runtime
    /// rejected the message or could not connect), rather than because the grain refused it.
    /// </summary>
    public static bool IsServerLoss(Exception exception) =>
        exception is OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException;
}
