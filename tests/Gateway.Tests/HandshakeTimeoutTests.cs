using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Coordinator.Gateway.Tests;

/// <summary>A node that gives a connection one second to send its upgrade request.</summary>
public sealed class HandshakeTimeoutNode : EmbeddedNode
{
    protected override IEnumerable<string> Settings => ["--Gateway:HandshakeTimeout=00:00:01"];
}

/// <summary>Connections that never finish their HTTP upgrade are dropped, not held.</summary>
public sealed class HandshakeTimeoutTests(HandshakeTimeoutNode node) : IClassFixture<HandshakeTimeoutNode>
{
    [Theory]
    [InlineData("")]
    [InlineData("GET /?roomId=r&peerName=p HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")]
    public async Task A_connection_that_does_not_complete_its_upgrade_request_in_time_is_closed(string partialRequest)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(node.BaseUri.Host, node.BaseUri.Port);
        var stream = tcp.GetStream();
        var started = Stopwatch.StartNew();

        await stream.WriteAsync(Encoding.ASCII.GetBytes(partialRequest));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[4096];
        int read;
        do
        {
            // Kestrel may answer 408 before closing; the end of the stream is what counts.
            read = await stream.ReadAsync(buffer, patience.Token);
        }
        while (read > 0);

        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(900), $"closed after {started.ElapsedMilliseconds} ms, before the timeout");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"closed only after {started.ElapsedMilliseconds} ms");
    }
}
