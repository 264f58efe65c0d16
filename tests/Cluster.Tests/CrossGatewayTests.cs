using System.Diagnostics;
using Coordinator.TestSupport;
using Xunit.Abstractions;

namespace Coordinator.Cluster.Tests;

/// <summary>Peers of one room on different gateways see each other exactly as on one node.</summary>
public sealed class CrossGatewayTests(ITestOutputHelper output) : IAsyncLifetime
{
    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Peers_on_two_gateways_share_a_room_and_its_notifications()
    {
        var room = $"cross-{Guid.NewGuid():N}";
        await using var alice = await _cluster.ConnectAsync("gateway1", room, "alice");
        await using var bob = await _cluster.ConnectAsync("gateway2", room, "bob");
        await alice.JoinAsync();
        await bob.ReceiveAsync().ContinueWith(_ => { }, TaskScheduler.Default); // before join: "no mediasoup Peer"
        await bob.JoinAsync();
        var bobTransport = await bob.ReceiveAsync();

        await alice.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "bob");
        var producer = await alice.PublishAudioAsync();
        var consumer = await bob.WaitForNotificationAsync("newConsumer", n => n.GetProperty("peerName").GetString() == "alice");
        var consumerId = consumer.GetProperty("id").GetUInt32();
        await bob.MediasoupAsync(Requests.EnableConsumer(consumerId, bobTransport)).Ok();

        // Notification latency across gateways: alice pauses and resumes, bob is told each time.
        var latencies = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            var method = i % 2 == 0 ? "consumerPaused" : "consumerResumed";
            var before = bob.Notifications.Count(n => n.GetProperty("method").GetString() == method);
            var started = Stopwatch.GetTimestamp();
            await alice.NotifyAsync("mediasoup-notification", Requests.Notification(i % 2 == 0 ? "pauseProducer" : "resumeProducer", producer));
            await Eventually.True(() => bob.Notifications.Count(n => n.GetProperty("method").GetString() == method) > before, TimeSpan.FromSeconds(10), $"bob's {method} #{i}");
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        latencies.Sort();
        output.WriteLine($"alice (gateway1) pause/resume -> bob (gateway2) notified: p50 {latencies[49]:0.0} ms, p99 {latencies[98]:0.0} ms, max {latencies[^1]:0.0} ms");

        await alice.NotifyAsync("mediasoup-notification", Requests.Notification("leave"));
        await bob.Closed("alice");
        Assert.Null(alice.CloseStatus);
        Assert.Null(bob.CloseStatus);
    }
}
