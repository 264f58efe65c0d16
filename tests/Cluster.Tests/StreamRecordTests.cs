using Coordinator.TestSupport;
using StackExchange.Redis;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// Each session's notification stream has a pub-sub record in Redis while the session lasts, and
/// none once it ended: without this, every session ever connected would leave a key behind.
/// </summary>
public sealed class StreamRecordTests : IAsyncLifetime
{
    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Finished_sessions_leave_no_stream_record_in_redis()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_cluster.RedisPort}");
        var room = $"records-{Guid.NewGuid():N}";
        var peers = new List<Tools.Protoo.ProtooClient>();
        for (var i = 0; i < 6; i++)
        {
            var peer = await _cluster.ConnectAsync(i % 2 == 0 ? "gateway1" : "gateway2", room, $"peer{i}");
            peers.Add(peer);
            await peer.JoinAsync();
            await peer.PublishAudioAsync();
        }

        // Every peer heard of the later ones, so every stream delivered and has its record.
        await peers[0].WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "peer5");
        Assert.True(StreamRecords(redis).Count >= peers.Count, $"stream records while connected: {string.Join(", ", StreamRecords(redis))}");

        foreach (var peer in peers)
        {
            await peer.DisposeAsync();
        }

        // Waits, then asserts, so that a failure lists the records left behind.
        await Eventually.True(() => StreamRecords(redis).Count == 0, TimeSpan.FromSeconds(20), "the stream records to go")
            .ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.Empty(StreamRecords(redis));
    }

    private static List<string> StreamRecords(ConnectionMultiplexer redis) =>
        [.. redis.GetServers().Single().Keys(pattern: "*pubsubrendezvous*").Select(key => key.ToString())];
}
