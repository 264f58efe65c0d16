using System.Net.WebSockets;
using Coordinator.Gateway.Cluster;
using Coordinator.Gateway.Hosting;
using Coordinator.Grains.Interfaces;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// One protoo WebSocket bound to (roomId, peerName): the browser's contract, one socket per peer
/// session. The socket's frames go to its <see cref="PeerSessionHandler"/>, the session's frames to
/// the socket.
/// </summary>
internal sealed class PeerConnection
{
    private readonly SocketWriter _writer;
    private readonly SocketReader _reader;
    private readonly InvalidFrames _invalidFrames;
    private readonly GatewayOptions _options;
    private readonly ILogger _logger;

    public PeerConnection(
        WebSocket socket,
        PeerSession session,
        PeerConnectOrder.Turn connectTurn,
        IGrainFactory grains,
        GatewayNotifications notifications,
        PathLosses pathLosses,
        GatewayOptions options,
        UnfinishedMessageBudget budget,
        ConnectionTracker tracker,
        ILogger logger)
    {
        (_options, _logger) = (options, logger);
        _writer = new SocketWriter(socket, options.MaxPendingFrames, options.MaxPendingBytes, logger);
        _reader = new SocketReader(socket, _writer, options, budget, logger);
        _invalidFrames = new InvalidFrames(_writer, options, logger);
        Handler = new PeerSessionHandler(session, connectTurn, grains, notifications, pathLosses, options, _writer, _invalidFrames, tracker, logger);
    }

    public PeerSessionHandler Handler { get; }

    /// <summary>Runs the socket until either side closes it; the peer then leaves its room.</summary>
    public Task RunAsync() => SocketLifetime.RunAsync(
        _writer,
        _invalidFrames,
        read: async () =>
        {
            await Handler.ConnectAsync();
            await _reader.RunAsync(HandleMessageAsync, _writer.ReceiveAborted);
        },
        end: Handler.DisconnectAsync,
        _logger);

    /// <summary>
    /// Its chunks go back as soon as a message is parsed (the parsed message owns copies), before
    /// any grain is called.
    /// </summary>
    private Task HandleMessageAsync(WebSocketMessageType type, IncomingMessage message)
    {
        if (type != WebSocketMessageType.Text)
        {
            message.Consume(_ => 0);
            return Handler.HandleAsync(null, "binary frame");
        }

        string? problem = null;
        var parsed = message.Consume(frame => ProtooMessage.Parse(frame, _options.MaxJsonDepth, out problem));
        return Handler.HandleAsync(parsed, problem);
    }
}
