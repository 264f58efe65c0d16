using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Coordinator.Gateway.Tests;

/// <summary>
/// A WebSocket client written by hand over TCP, for what a WebSocket library will not send: a
/// frame cut short, a message left unfinished, frames as fast as the socket takes them.
/// </summary>
internal sealed class RawWebSocket : IAsyncDisposable
{
    public const int Text = 1;
    public const int Continuation = 0;
    public const int Binary = 2;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocket(TcpClient tcp) => (_tcp, _stream) = (tcp, tcp.GetStream());

    /// <summary>Opens a protoo socket for (<paramref name="roomId"/>, <paramref name="peerName"/>); the upgrade must succeed.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri node, string roomId, string peerName)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(node.Host, node.Port);
        var socket = new RawWebSocket(tcp);
        var request =
            $"GET /?roomId={Uri.EscapeDataString(roomId)}&peerName={Uri.EscapeDataString(peerName)} HTTP/1.1\r\n" +
            $"Host: {node.Host}:{node.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\n" +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: protoo\r\n\r\n";
        await socket._stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var status = await socket.ReadResponseHeadAsync();
        if (!status.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            await socket.DisposeAsync();
            throw new InvalidOperationException($"upgrade refused: {status}");
        }

        return socket;
    }

    /// <summary>
    /// Sends one client frame (masked). With <paramref name="declaredLength"/> the header announces
    /// that many payload bytes while only <paramref name="payload"/> is sent: the frame stays cut short.
    /// </summary>
    public async Task SendFrameAsync(int opcode, ReadOnlyMemory<byte> payload, bool fin = true, long? declaredLength = null)
    {
        var length = declaredLength ?? payload.Length;
        var header = new byte[14];
        header[0] = (byte)((fin ? 0x80 : 0) | opcode);
        int at;
        if (length < 126)
        {
            header[1] = (byte)(0x80 | length);
            at = 2;
        }
        else if (length <= ushort.MaxValue)
        {
            header[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)length);
            at = 4;
        }
        else
        {
            header[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), (ulong)length);
            at = 10;
        }

        var mask = RandomNumberGenerator.GetBytes(4);
        mask.CopyTo(header, at);
        await _stream.WriteAsync(header.AsMemory(0, at + 4));

        // Masked in pieces, so that a large frame allocates nothing large on the test's side.
        var piece = new byte[Math.Min(payload.Length, 16 * 1024)];
        for (var offset = 0; offset < payload.Length; offset += piece.Length)
        {
            var count = Math.Min(piece.Length, payload.Length - offset);
            var source = payload.Span.Slice(offset, count);
            for (var i = 0; i < count; i++)
            {
                piece[i] = (byte)(source[i] ^ mask[(offset + i) % 4]);
            }

            await _stream.WriteAsync(piece.AsMemory(0, count));
        }
    }

    public Task SendTextAsync(string text, bool fin = true, int opcode = Text) => SendFrameAsync(opcode, Encoding.UTF8.GetBytes(text), fin);

    /// <summary>The next frame from the server (opcode, payload); null when the connection ended.</summary>
    public async Task<(int Opcode, byte[] Payload)?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var head = new byte[2];
        if (!await ReadExactlyOrEndAsync(head, cancellationToken))
        {
            return null;
        }

        long length = head[1] & 0x7F;
        if (length >= 126)
        {
            var extended = new byte[length == 126 ? 2 : 8];
            if (!await ReadExactlyOrEndAsync(extended, cancellationToken))
            {
                return null;
            }

            length = extended.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(extended) : (long)BinaryPrimitives.ReadUInt64BigEndian(extended);
        }

        var payload = new byte[length];
        return await ReadExactlyOrEndAsync(payload, cancellationToken) ? (head[0] & 0x0F, payload) : null;
    }

    /// <summary>The next text frame's text; null when the connection ended first.</summary>
    public async Task<string?> ReadTextAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (await ReadFrameAsync(cancellation.Token) is { } frame)
        {
            if (frame.Opcode == Text)
            {
                return Encoding.UTF8.GetString(frame.Payload);
            }
        }

        return null;
    }

    /// <summary>
    /// Reads until the server's close frame and returns its code and reason; null when the
    /// connection ended without one. Throws when neither happens within <paramref name="timeout"/>.
    /// </summary>
    public async Task<(int Code, string Reason)?> ReadCloseAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            while (await ReadFrameAsync(cancellation.Token) is { } frame)
            {
                if (frame.Opcode == 8)
                {
                    return (BinaryPrimitives.ReadUInt16BigEndian(frame.Payload), Encoding.UTF8.GetString(frame.Payload, 2, frame.Payload.Length - 2));
                }
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server neither closed nor dropped the socket within {timeout.TotalSeconds:0.#} s");
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException)
        {
            return false;
        }
    }

    private async Task<string> ReadResponseHeadAsync()
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await _stream.ReadAsync(one) == 0)
            {
                throw new EndOfStreamException("the server closed the connection during the upgrade");
            }

            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. head]).Split("\r\n")[0];
    }
}
