namespace Coordinator.Grains.Rooms;

/// <summary>
/// What one client may take of a room and of a silo (configuration section <c>Limits</c>). Each
/// refusal is a protoo error with its own reason, never a silent drop.
/// </summary>
public sealed class RoomLimits
{
    public const string Section = "Limits";

    /// <summary>Peers in one room; a join beyond it is refused (403).</summary>
    public int MaxPeersPerRoom { get; set; } = 200;

    /// <summary>Open transports of one peer (a browser uses two).</summary>
    public int MaxTransportsPerPeer { get; set; } = 8;

    /// <summary>Live producers of one peer.</summary>
    public int MaxProducersPerPeer { get; set; } = 16;

    /// <summary>Open rooms per silo: each holds a router on this silo's workers.</summary>
    public int MaxRoomsPerSilo { get; set; } = 5000;

    /// <summary>Size of one <c>appData</c> value as JSON text; appData is stored and echoed to other peers.</summary>
    public int MaxAppDataBytes { get; set; } = 4096;
}
