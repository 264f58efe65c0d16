using Coordinator.TestSupport;
using StackExchange.Redis;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// The notification streams' pub-sub records in Redis are the gateways' own: each gateway
/// subscribes to its few streams once, so sessions coming and going add no record and leave none
/// behind.
/// </summary>
public sealed class StreamRecordTests : IAsyncLifetime
{
    private static readonly int GatewayStreams = 2 * new Grains.Interfaces.Hosting.NotificationStreamSettings().StreamsPerGateway;

    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Sessions_add_no_stream_record_to_the_gateways_own()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_cluster.RedisPort}");
        await Eventually.True(() => StreamRecords(redis).Count == GatewayStreams, TimeSpan.FromSeconds(20), $"the two gateways' {GatewayStreams} stream records")
            .ContinueWith(_ => { }, TaskScheduler.Default);
        var before = StreamRecords(redis);
        Assert.Equal(GatewayStreams, before.Count);

        var room = $"records-{Guid.NewGuid():N}";
        var peers = new List<Tools.Protoo.ProtooClient>();
        for (var i = 0; i < 6; i++)
        {
            var peer = await _cluster.ConnectAsync(i % 2 == 0 ? "gateway1" : "gateway2", room, $"peer{i}");
            peers.Add(peer);
            await peer.JoinAsync();
            await peer.PublishAudioAsync();
        }

        await peers[0].WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "peer5");
        Assert.Equal(before, StreamRecords(redis));

        foreach (var peer in peers)
        {
            await peer.DisposeAsync();
        }

        Assert.Equal(before, StreamRecords(redis));
    }

    private static List<string> StreamRecords(ConnectionMultiplexer redis) =>
        [.. redis.GetServers().Single().Keys(pattern: "*pubsubrendezvous*").Select(key => key.ToString()).Order(StringComparer.Ordinal)];
}
