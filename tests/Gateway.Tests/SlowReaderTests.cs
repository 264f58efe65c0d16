using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Coordinator.Gateway.Tests;

/// <summary>A node with a small outbound byte bound and large notifications, so a stalled socket reaches the bound in seconds.</summary>
public sealed class SlowReaderNode : EmbeddedNode
{
    public CapturedLog Log { get; } = new();

    protected override IEnumerable<string> Settings =>
    [
        "--Gateway:MaxPendingBytes=262144",
        "--Gateway:Frontend:MaxPendingBytes=262144",
        "--Limits:MaxAppDataBytes=65536",
        "--Gateway:MaxMessagesPerSecond=1000",
        "--Gateway:MessageBurst=1000",
    ];

    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddProvider(Log);
}

/// <summary>
/// A client that stops reading while its room is busy: the gateway's queue for it is bounded in
/// bytes, and the socket is closed with 4001 and a close frame the client reads once it reads again.
/// </summary>
public sealed class SlowReaderTests(SlowReaderNode node, ITestOutputHelper output) : IClassFixture<SlowReaderNode>
{
    private const string FellBehind = "is not reading its socket";

    /// <summary>Each newConsumer carries the producer's appData: about 50 KB a notification.</summary>
    private static readonly string LargeAppData = new('x', 50_000);

    [Fact]
    public async Task A_client_that_stops_reading_gets_a_4001_close_frame_and_other_rooms_see_nothing()
    {
        var room = $"room-{Guid.NewGuid():N}";
        await using var slow = await RawProtooSocket.ConnectAsync(node.PeerUri(room, "slow"));
        var joined = await slow.RequestAsync(ProtooClient.JoinRequest("slow", CapturedSession.JoinCapabilities));
        Assert.True(joined.GetProperty("ok").GetBoolean(), joined.ToString());
        await using var stormers = await node.JoinedPeersAsync(room, "storm0", "storm1");
        await using var bystanders = await node.JoinedPeersAsync($"{room}-bystanders", "a", "b");

        // From here on "slow" reads nothing: each producer of the stormers queues a newConsumer for it.
        var fellBehindBefore = FellBehindLines();
        using var stop = new CancellationTokenSource();
        var storms = stormers.Select(stormer => StormAsync(stormer, stop.Token)).ToList();
        var bystanderRequests = BystanderAsync(bystanders[0], stop.Token);
        try
        {
            await Eventually.True(() => FellBehindLines() > fellBehindBefore, TimeSpan.FromSeconds(60), "the gateway to give up on the socket that stopped reading");
        }
        finally
        {
            stop.Cancel();
        }

        // Reading again within the close handshake's 5 s: what was already in the kernel's buffers, then the
        // close frame. Were the server to give up on the handshake first, the socket would end without one.
        var framesBeforeClose = await CloseFrameAsync(ReadUntilCloseAsync(slow), "the close frame after the frames already sent");
        output.WriteLine($"{framesBeforeClose} frames read before the close frame");

        Assert.Equal(4001, (int?)slow.Socket.CloseStatus);
        Assert.Equal("client is not reading its socket", slow.Socket.CloseStatusDescription);
        var producersCreated = (await Task.WhenAll(storms)).Sum();
        var answered = await bystanderRequests;
        Assert.True(answered > 0);
        Assert.All(stormers.Concat(bystanders), client => Assert.Null(client.CloseStatus));
        Assert.True((await bystanders[1].QueryRoomAsync()).GetProperty("ok").GetBoolean());
        Assert.Equal(fellBehindBefore + 1, FellBehindLines());
        output.WriteLine($"{producersCreated} producers created, {answered} bystander requests answered");
    }

    [Fact]
    public async Task A_frontend_that_stops_reading_is_closed_with_4001_and_every_peer_of_it_leaves()
    {
        var room = $"room-{Guid.NewGuid():N}";
        await using var frontend = await RawProtooSocket.ConnectAsync(new Uri(node.BaseUri, FrontendPath), subProtocol: FrontendClient.SubProtocol);
        foreach (var name in new[] { "slow1", "slow2" })
        {
            var open = new JsonObject { ["session"] = name, ["roomId"] = room, ["peerName"] = name, ["grants"] = new JsonArray("subscribe") };
            Assert.True((await frontend.RequestAsync(open, "openSession")).GetProperty("ok").GetBoolean());
            var joined = await frontend.RequestAsync(ProtooClient.JoinRequest(name, CapturedSession.JoinCapabilities), session: name);
            Assert.True(joined.GetProperty("ok").GetBoolean(), joined.ToString());
        }

        await using var stormers = await node.JoinedPeersAsync(room, "storm0", "storm1");
        var fellBehindBefore = FellBehindLines();
        using var stop = new CancellationTokenSource();
        var storms = stormers.Select(stormer => StormAsync(stormer, stop.Token)).ToList();
        try
        {
            await Eventually.True(() => FellBehindLines() > fellBehindBefore, TimeSpan.FromSeconds(60), "the gateway to give up on the frontend that stopped reading");
        }
        finally
        {
            stop.Cancel();
        }

        await CloseFrameAsync(ReadUntilCloseAsync(frontend), "the frontend's close frame");

        await Task.WhenAll(storms);
        Assert.Equal(4001, (int?)frontend.Socket.CloseStatus);
        foreach (var name in new[] { "slow1", "slow2" })
        {
            await stormers[0].WaitForNotificationAsync("peerClosed", n => n.GetProperty("name").GetString() == name);
        }

        Assert.All(stormers, client => Assert.Null(client.CloseStatus));
    }

    private const string FrontendPath = "/frontend";

    /// <summary>
    /// Waits for the reading of a close frame; each test failed once in CI with no clue, so a
    /// timeout carries what the node said about its sockets at the end.
    /// </summary>
    private async Task<T> CloseFrameAsync<T>(Task<T> reading, string awaited)
    {
        try
        {
            return await Eventually.Within(reading, TimeSpan.FromSeconds(15), awaited);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}\nlast node log lines:\n{string.Join('\n', node.Log.Lines.TakeLast(40))}", timeout);
        }
    }

    private int FellBehindLines() => node.Log.Lines.Count(line => line.Contains(FellBehind, StringComparison.Ordinal));

    /// <summary>Creates and closes producers with a large appData until stopped; every request must succeed. Returns how many.</summary>
    private static async Task<int> StormAsync(ProtooClient stormer, CancellationToken stop)
    {
        var transport = await stormer.CreateSendTransport();
        var created = 0;
        while (!stop.IsCancellationRequested)
        {
            var id = Requests.NewId();
            var request = Requests.Producer(id, transport, "audio");
            request["appData"] = new JsonObject { ["blob"] = LargeAppData };
            await stormer.MediasoupAsync(request).Ok();
            await stormer.Notify(Requests.Notification("closeProducer", id));
            created++;
        }

        return created;
    }

    /// <summary>A room of its own making requests meanwhile; every one must succeed. Returns how many.</summary>
    private static async Task<int> BystanderAsync(ProtooClient bystander, CancellationToken stop)
    {
        var answered = 0;
        while (!stop.IsCancellationRequested)
        {
            await bystander.QueryRoomAsync().Ok();
            answered++;
        }

        return answered;
    }

    /// <summary>Reads until the close frame; returns how many frames came before it.</summary>
    private static async Task<int> ReadUntilCloseAsync(RawProtooSocket socket)
    {
        var frames = 0;
        while ((await socket.ReceiveAsync(CancellationToken.None)).Type != WebSocketMessageType.Close)
        {
            frames++;
        }

        return frames;
    }
}
