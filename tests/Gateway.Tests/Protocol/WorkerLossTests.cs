using System.Diagnostics;
using System.Net.WebSockets;
using Coordinator.Grains.Interfaces;
using Coordinator.Silo.Workers;
using Coordinator.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Coordinator.Gateway.Tests.Protocol;

/// <summary>A node of its own: these tests kill its worker.</summary>
public sealed class WorkerLossNode : EmbeddedNode
{
    public WorkerPool Pool => Services.GetRequiredService<WorkerPool>();
}

/// <summary>What a room's peers see when its mediasoup worker dies, and what a finished room leaves behind.</summary>
public sealed class WorkerLossTests(WorkerLossNode node, ITestOutputHelper output) : IClassFixture<WorkerLossNode>
{
    [Fact]
    public async Task A_killed_worker_closes_its_rooms_and_new_rooms_use_the_replacement()
    {
        var room = $"room-{Guid.NewGuid():N}";
        await using var joined = await node.JoinedPeersAsync(room, "alice", "bob");
        var (alice, bob) = joined;
        await alice.ProduceTo(bob, "audio");
        var worker = Assert.Single(node.Pool.Workers);

        var killed = Stopwatch.StartNew();
        worker.Kill();

        Assert.Equal((WebSocketCloseStatus)CloseCodes.DoNotReconnect, await alice.WaitForCloseAsync());
        Assert.Equal((WebSocketCloseStatus)CloseCodes.DoNotReconnect, await bob.WaitForCloseAsync());
        var closedAfter = killed.Elapsed;
        Assert.Equal("closed", alice.Methods()[^1]);
        Assert.Equal(["newConsumer", "peerClosed", "closed"], bob.Methods());
        Assert.Contains("media worker failed", alice.CloseDescription);
        output.WriteLine($"both sockets closed {closedAfter.TotalMilliseconds:0} ms after SIGKILL");
        Assert.True(closedAfter < TimeSpan.FromSeconds(5), $"peers were closed {closedAfter.TotalMilliseconds:0} ms after the kill");

        // The same room id works again at once, on the replacement worker.
        await Eventually.True(() => node.Pool.Workers.Any(w => w.IsAlive && w.Pid != worker.Pid), TimeSpan.FromSeconds(10), "the worker to be replaced");
        await using var again = await node.JoinedPeerAsync(room, "alice");
        await again.CreateSendTransport();
    }

    [Fact]
    public async Task A_finished_room_leaves_nothing_on_the_worker()
    {
        var room = $"room-{Guid.NewGuid():N}";
        await using var joined = await node.JoinedPeersAsync(room, "alice", "bob");
        var (alice, bob) = joined;
        var send = await alice.CreateSendTransport();
        await alice.Produce(send, "audio");
        await alice.Produce(send, "video");
        var recv = await bob.CreateRecvTransport();
        await bob.EnableConsumers(recv, count: 2);

        await alice.NotifyAndSettle(Requests.Notification("leave"));
        await bob.NotifyAndSettle(Requests.Notification("leave"));

        // The room closes (grace period 0 here) and closes its router: the worker holds no router.
        await Eventually.True(() => node.Pool.Workers.All(w => w.RouterCount == 0), TimeSpan.FromSeconds(10), "the room's router to be closed");
    }
}
