using System.Net.WebSockets;
using System.Text.Json;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.Grains.Rooms;
using Coordinator.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Gateway.Tests;

/// <summary>A node with tiny limits, so each one can be reached.</summary>
public sealed class LimitsNode : EmbeddedNode
{
    protected override IEnumerable<string> Settings =>
    [
        "--Limits:MaxPeersPerRoom=2",
        "--Limits:MaxTransportsPerPeer=1",
        "--Limits:MaxProducersPerPeer=1",
        "--Limits:MaxAppDataBytes=64",
        "--Limits:MaxRoomsPerSilo=3",
        "--Gateway:MaxMessagesPerSecond=5",
        "--Gateway:MessageBurst=10",
        "--Gateway:MaxJsonDepth=8",
        "--Gateway:MaxMessageBytes=4096",
    ];
}

public sealed class LimitsTests(LimitsNode node) : IClassFixture<LimitsNode>
{
    private readonly string _room = $"room-{Guid.NewGuid():N}";

    [Fact]
    public async Task Room_and_peer_limits_refuse_with_their_reason()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "a", "b");
        var (a, b) = joined;
        await using var c = await node.ConnectAsync(_room, "c");

        var full = await c.JoinAsync();
        var bigTransport = Requests.SendTransport(Requests.NewId());
        bigTransport["appData"] = new string('x', 100);
        var bigAppData = await b.MediasoupAsync(bigTransport);
        var transport = await a.CreateSendTransport();
        var secondTransport = await a.MediasoupAsync(Requests.SendTransport(Requests.NewId()));
        await a.Produce(transport, "audio");
        var secondProducer = await a.MediasoupAsync(Requests.Producer(Requests.NewId(), transport, "video"));

        JsonExpect.ErrorResponse(full, 403, "Error: too many peers in this room (limit 2)");
        JsonExpect.ErrorResponse(bigAppData, 413, "Error: appData is larger than 64 bytes");
        JsonExpect.ErrorResponse(secondTransport, 403, "Error: too many transports for this peer (limit 1)");
        JsonExpect.ErrorResponse(secondProducer, 403, "Error: too many producers for this peer (limit 1)");
    }

    [Fact]
    public async Task A_silo_opens_no_more_rooms_than_it_may()
    {
        var openRooms = node.Services.GetRequiredService<OpenRooms>();
        await Eventually.True(() => openRooms.Count == 0, TimeSpan.FromSeconds(10), "earlier tests' rooms to close");
        await using var holders = new JoinedPeers();
        for (var i = 0; i < 3; i++)
        {
            holders.Add(await node.JoinedPeerAsync($"{_room}-{i}", "holder"));
        }

        await using var late = await node.ConnectAsync($"{_room}-late", "late");
        JsonExpect.ErrorResponse(await late.QueryRoomAsync(), 503, "Error: this server holds as many rooms as it may; try again later");
    }

    [Fact]
    public async Task A_socket_sending_too_fast_gets_429_and_keeps_its_connection()
    {
        await using var a = await node.ConnectAsync(_room, "a");

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => a.QueryRoomAsync()));

        Assert.Contains(responses, r => r.TryGetProperty("errorCode", out var code) && code.GetInt32() == 429);
        Assert.Contains(responses, r => r.TryGetProperty("ok", out _));
        await Eventually.True(async () => (await a.QueryRoomAsync()).TryGetProperty("ok", out _), TimeSpan.FromSeconds(10), "the rate to allow a request again");
    }

    [Fact]
    public async Task Too_deep_or_too_large_messages_are_refused()
    {
        await using var a = await node.ConnectAsync(_room, "a");
        await using var b = await node.ConnectAsync(_room, "b");

        await a.SendAsync(new string('[', 20) + new string(']', 20)); // deeper than 8: dropped, socket stays
        var stillThere = await a.QueryRoomAsync();
        await b.SendAsync(JsonSerializer.Serialize(new { request = true, id = 1, method = "mediasoup-request", data = new { blob = new string('x', 5000) } }));

        Assert.True(stillThere.TryGetProperty("ok", out _));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await b.WaitForCloseAsync());
    }
}
