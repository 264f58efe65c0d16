using System.Net;
using System.Net.WebSockets;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests;

/// <summary>A node that holds at most three WebSocket connections.</summary>
public sealed class ConnectionLimitNode : EmbeddedNode
{
    public const int MaxConnections = 3;

    protected override IEnumerable<string> Settings => [$"--Gateway:MaxConnections={MaxConnections}"];
}

/// <summary>
/// The number of WebSocket connections is bounded (browser sockets and frontend connections
/// together): one more is refused with 503 and a reason before the upgrade, and a slot is free
/// again once a socket has gone.
/// </summary>
public sealed class ConnectionLimitTests(ConnectionLimitNode node) : IClassFixture<ConnectionLimitNode>
{
    private readonly string _room = $"room-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_gateway_at_its_connection_limit_refuses_with_503_and_takes_one_again_when_a_socket_goes()
    {
        var held = new List<ProtooClient>();
        try
        {
            for (var i = 0; i < ConnectionLimitNode.MaxConnections; i++)
            {
                held.Add(await node.ConnectAsync(_room, $"peer{i}"));
            }

            var (status, reason) = await Refusal(node.PeerUri(_room, "one-too-many"), "protoo");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal($"this gateway holds as many connections as it may ({ConnectionLimitNode.MaxConnections}); try again later", reason);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Refusal(new Uri(node.BaseUri, "/frontend"), FrontendClient.SubProtocol)).Status);

            // The sockets already open are not affected.
            await held[0].JoinAsync().Ok();

            await held[^1].DisposeAsync();
            held.RemoveAt(held.Count - 1);
            await Eventually.True(
                async () =>
                {
                    try
                    {
                        held.Add(await node.ConnectAsync(_room, "one-too-many"));
                        return true;
                    }
                    catch (WebSocketException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(10),
                "a slot to be free again after a socket closed");
        }
        finally
        {
            foreach (var client in held)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task<(HttpStatusCode Status, string? Reason)> Refusal(Uri uri, string subProtocol)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(subProtocol);
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        return (socket.HttpStatusCode, socket.HttpResponseHeaders?.TryGetValue("X-WebSocket-Reject-Reason", out var values) == true ? values.FirstOrDefault() : null);
    }
}
