namespace Coordinator.Grains.Interfaces;

/// <summary>
/// WebSocket close codes the server uses. protoo-client reconnects by itself on every code except
/// 4000, so 4000 means "do not come back on your own" and 4001 means "reconnect and join again".
/// </summary>
public static class CloseCodes
{
    /// <summary>Replaced by a newer socket for the same peer, closed by the server, or its room closed.</summary>
    public const int DoNotReconnect = 4000;

    /// <summary>The session lost notifications (a <c>seq</c> gap): reconnect and rejoin to resynchronise.</summary>
    public const int ReconnectAndRejoin = 4001;
}
