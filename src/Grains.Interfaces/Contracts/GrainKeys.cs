using Orleans.Runtime;

namespace Coordinator.Grains.Interfaces;

/// <summary>Grain and stream naming shared by silos and gateways.</summary>
public static class GrainKeys
{
    /// <summary>Stream provider carrying the peers' notifications to their gateways.</summary>
    public const string NotificationStreamProvider = "Notifications";

    /// <summary>Stream namespace of the gateways' notification streams.</summary>
    public const string NotificationStreamNamespace = "gateway-notifications";

    /// <summary>
    /// Room ids and peer names are arbitrary strings; escaping both keeps "a/b"+"c" and "a"+"b/c" apart.
    /// </summary>
    public static string Peer(string roomId, string peerName) =>
        $"{Uri.EscapeDataString(roomId)}/{Uri.EscapeDataString(peerName)}";

    /// <summary>The room id inside a <see cref="Peer"/> key.</summary>
    public static string RoomOfPeer(string peerKey) => Uri.UnescapeDataString(peerKey[..peerKey.IndexOf('/')]);

    /// <summary>The key of one of a gateway's notification streams: a gateway spreads its sessions over a few.</summary>
    public static string NotificationStream(string gatewayId, int partition) => $"{gatewayId}/{partition}";

    /// <summary>The stream id of a session's notifications.</summary>
    public static StreamId NotificationStreamOf(PeerSession session) => StreamId.Create(NotificationStreamNamespace, session.NotificationStream);
}
