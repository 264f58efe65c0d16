using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Gateway.Tests;

/// <summary>
/// A protoo socket over a TCP connection this test controls: it reads only when asked to, and its
/// kernel receive buffer is small, so a client that stops reading is felt by the server at once.
/// </summary>
internal sealed class RawProtooSocket : IAsyncDisposable
{
    private readonly Socket _tcp;
    private int _nextId;

    private RawProtooSocket(Socket tcp, WebSocket socket) => (_tcp, Socket) = (tcp, socket);

    public WebSocket Socket { get; }

    /// <summary>Connects, upgrades by hand (nothing beyond the HTTP response is read) and wraps the stream.</summary>
    public static async Task<RawProtooSocket> ConnectAsync(Uri peerUri, int receiveBufferBytes = 4096, string subProtocol = "protoo")
    {
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = receiveBufferBytes };
        await tcp.ConnectAsync(IPAddress.Loopback, peerUri.Port);
        var stream = new NetworkStream(tcp, ownsSocket: true);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var upgrade = $"GET {peerUri.PathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{peerUri.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {subProtocol}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(upgrade));
        var head = await ReadHeadAsync(stream);
        Assert.StartsWith("HTTP/1.1 101", head);
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, SubProtocol = subProtocol, KeepAliveInterval = TimeSpan.Zero });
        return new RawProtooSocket(tcp, socket);
    }

    /// <summary>Sends a protoo request (with <paramref name="session"/>, a frontend's) and reads until its response; returns that response.</summary>
    public async Task<JsonElement> RequestAsync(JsonNode data, string method = "mediasoup-request", string? session = null)
    {
        var id = ++_nextId;
        var request = new JsonObject { ["request"] = true, ["id"] = id, ["method"] = method, ["data"] = data };
        if (session is not null)
        {
            request["session"] = session;
        }

        await Socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        while (true)
        {
            var (type, text) = await ReceiveAsync(CancellationToken.None);
            Assert.Equal(WebSocketMessageType.Text, type);
            var frame = JsonDocument.Parse(text).RootElement;
            if (frame.TryGetProperty("response", out _) && frame.GetProperty("id").GetInt32() == id)
            {
                return frame;
            }
        }
    }

    /// <summary>One whole message; for a close, its type and an empty text.</summary>
    public async Task<(WebSocketMessageType Type, string Text)> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, "");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            }
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException($"connection closed during the upgrade: {head}");
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    public ValueTask DisposeAsync()
    {
        Socket.Abort();
        Socket.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
