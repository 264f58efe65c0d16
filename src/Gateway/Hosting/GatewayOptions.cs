using Coordinator.Protocol.Protoo;

namespace Coordinator.Gateway.Hosting;

/// <summary>Gateway settings (configuration section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Address the WebSocket endpoint binds to.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 4443;

    /// <summary>Every request is answered within this time, below the clients' own 10 s+ timeouts.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Tokenless development mode: no credentials are checked and only loopback clients are
    /// accepted. It must be switched on explicitly.
    /// </summary>
    public bool DevelopmentMode { get; set; }

    /// <summary>Lets development mode accept non-loopback clients too. Never for a reachable server.</summary>
    public bool DevelopmentModeAcceptsRemoteClients { get; set; }

    /// <summary>Largest WebSocket message accepted; a larger one closes the socket (1009). The reference's limit by default.</summary>
    public int MaxMessageBytes { get; set; } = ProtooHandshake.MaxMessageBytes;

    /// <summary>Messages one socket may send per second on average; beyond it requests get 429 and notifications are dropped.</summary>
    public double MaxMessagesPerSecond { get; set; } = 100;

    /// <summary>Messages one socket may send at once before <see cref="MaxMessagesPerSecond"/> applies.</summary>
    public double MessageBurst { get; set; } = 200;

    /// <summary>Deepest JSON nesting accepted in a frame; a deeper frame is dropped unparsed.</summary>
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>
    /// WebSocket connections (browser sockets and frontend connections together) this gateway holds
    /// at once; one more is refused with 503 before the upgrade. Also Kestrel's bound on connections
    /// still in their HTTP handshake.
    /// </summary>
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>Frames waiting to be written to one socket; a client this far behind is disconnected.</summary>
    public int MaxPendingFrames { get; set; } = 4096;

    /// <summary>
    /// A message must arrive whole within this time of its first frame header; a socket that takes
    /// longer is closed (1008). Real messages are a few KiB and arrive in milliseconds; 5 s still
    /// covers 20 KiB at 32 kbit/s or two TCP retransmissions.
    /// </summary>
    public TimeSpan MessageCompletionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Bytes all sockets of this node together may hold for messages still arriving (16 KiB chunks);
    /// a socket that would go over it is closed (1013, try again later).
    /// </summary>
    public long MaxUnfinishedMessageBytesTotal { get; set; } = 64L * 1024 * 1024;

    /// <summary>Dropped frames (unparsable, unknown, over the rate) one socket may send within <see cref="InvalidFrameWindow"/>; one more closes it (1008).</summary>
    public int MaxInvalidFrames { get; set; } = 100;

    /// <summary>The window <see cref="MaxInvalidFrames"/> counts in.</summary>
    public TimeSpan InvalidFrameWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection must send its whole HTTP request (the WebSocket upgrade) within this time of
    /// opening, or of its previous request; otherwise Kestrel closes it.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Bytes of frames waiting to be written to one socket; a client this far behind is closed with
    /// 4001. One frame of any size is taken into an empty queue. 2 MiB holds over 300 of the largest
    /// notifications (a newConsumer with 4 KiB of appData); a client that reads at all stays far below it.
    /// </summary>
    public long MaxPendingBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>
    /// When the node has been quiet for 10 s and its resident memory is this many MiB above what it
    /// was after its last release, one full collection gives the memory back to the system; one also
    /// runs when the node has started, for what starting left behind. 0: never.
    /// </summary>
    public int ReleaseMemoryAboveMiB { get; set; } = 32;

    /// <summary>
    /// How long the cluster keeps this gateway's sessions without hearing from it. When a gateway
    /// dies, its peers leave their rooms after at most this long (plus a quarter of it).
    /// </summary>
    public TimeSpan SessionLease { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the gateway renews its session lease; well below <see cref="SessionLease"/>.</summary>
    public TimeSpan SessionLeaseRenewal { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the gateway checks which silos are alive, to end sessions whose room or peer was on a dead one.</summary>
    public TimeSpan ClusterWatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the gateway tries the other silos it knows after its last open connection into the
    /// cluster closed, before it takes the cluster as lost and closes every socket (4001).
    /// </summary>
    public TimeSpan ClusterLossGrace { get; set; } = TimeSpan.FromSeconds(5);
}
