using System.Net.Sockets;
using System.Text;

namespace Coordinator.Gateway.Tests;

/// <summary>
/// A WebSocket upgrade request written byte for byte to a TCP socket: for what HttpClient and
/// ClientWebSocket would not send or would rewrite (HTTP/1.0, a query exactly as written).
/// </summary>
internal static class RawUpgrade
{
    /// <summary>The status and headers of the answer; the socket is closed once they are read.</summary>
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers)
    {
        public string? RejectReason => Headers.GetValueOrDefault("X-WebSocket-Reject-Reason");

        public override string ToString() => $"{Status} {RejectReason}";
    }

    public static async Task<Response> SendAsync(Uri node, string pathAndQuery, string version = "HTTP/1.1")
    {
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tcp.ConnectAsync(node.Host, node.Port, timeout.Token);
        var stream = tcp.GetStream();
        var request =
            $"GET {pathAndQuery} {version}\r\nHost: {node.Host}:{node.Port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\n"
            + "Sec-WebSocket-Protocol: protoo\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        return Parse(await ReadHeadAsync(stream, timeout.Token));
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellation);
            if (read == 0)
            {
                throw new IOException($"the server closed the connection after: {head}");
            }

            head.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        return head.ToString()[..head.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)];
    }

    private static Response Parse(string head)
    {
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new Response(status, headers);
    }
}
