namespace Coordinator.Grains.Interfaces;

/// <summary>Grain and stream naming shared by silos and gateways.</summary>
public static class GrainKeys
{
    /// <summary>Stream provider carrying per-session peer notifications.</summary>
    public const string NotificationStreamProvider = "Notifications";

    /// <summary>Stream namespace of per-session peer notification streams.</summary>
    public const string PeerSessionStreamNamespace = "peer-session";

    /// <summary>
    /// Room ids and peer names are arbitrary strings; escaping both keeps "a/b"+"c" and "a"+"b/c" apart.
    /// </summary>
    public static string Peer(string roomId, string peerName) =>
        $"{Uri.EscapeDataString(roomId)}/{Uri.EscapeDataString(peerName)}";

    /// <summary>The room id inside a <see cref="Peer"/> key.</summary>
    public static string RoomOfPeer(string peerKey) => Uri.UnescapeDataString(peerKey[..peerKey.IndexOf('/')]);
}
