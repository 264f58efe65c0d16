using System.Net;
using System.Text.Json;
using Coordinator.TestSupport;

namespace Coordinator.Gateway.Tests.Admin;

/// <summary>Live stats in a room dump (<c>?stats=true</c>): real RTP through a real worker, reduced to bitrate and packets.</summary>
[Collection(AdminNodeCollection.Name)]
public sealed class AdminStatsTests(AdminNode node)
{
    private readonly string _room = $"room-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_dump_with_stats_shows_each_producers_and_consumers_bitrate_and_packets()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        await using var alice = new PlainRtpPeer(joined[0]);
        await using var bob = new PlainRtpPeer(joined[1]);
        var producer = await alice.ProduceAudioAsync();
        await bob.EnableConsumersAsync(count: 1);

        JsonElement dump = default;
        await Eventually.True(
            async () =>
            {
                var response = await node.GetAsync($"/admin/rooms/{_room}?worker=false&stats=true");
                Assert.Equal(HttpStatusCode.OK, response.Status);
                dump = response.Json;
                return Stats(Producer(dump)).GetProperty("bitrate").GetInt64() > 0
                    && Stats(Consumer(dump)).GetProperty("bitrate").GetInt64() > 0
                    && Consumer(dump).GetProperty("effectiveProfile").ValueKind == JsonValueKind.String;
            },
            TimeSpan.FromSeconds(10),
            "the producer and the consumer to show a bitrate, and the consumer its effective profile");

        Assert.Equal(0, dump.GetProperty("statsOmitted").GetInt32());
        var produced = Producer(dump);
        Assert.Equal(producer, produced.GetProperty("id").GetUInt32());
        Assert.Equal(JsonValueKind.Null, produced.GetProperty("worker").ValueKind);
        var producerStats = Stats(produced);
        Assert.Equal(JsonValueKind.Null, producerStats.GetProperty("error").ValueKind);
        var stream = Assert.Single(producerStats.GetProperty("streams").EnumerateArray());
        Assert.Equal(2980422962u, stream.GetProperty("ssrc").GetUInt32());
        Assert.Equal("audio/opus", stream.GetProperty("mimeType").GetString());
        Assert.True(producerStats.GetProperty("packets").GetInt64() > 0, producerStats.ToString());
        Assert.True(producerStats.GetProperty("bytes").GetInt64() >= 92 * producerStats.GetProperty("packets").GetInt64(), producerStats.ToString());
        // 92-byte packets, 50 a second: about 37 kbit/s.
        Assert.InRange(producerStats.GetProperty("bitrate").GetInt64(), 1, 200_000);

        var consumed = Consumer(dump);
        Assert.Equal(producer, consumed.GetProperty("producerId").GetUInt32());
        Assert.False(consumed.GetProperty("paused").GetBoolean());
        Assert.Equal("default", consumed.GetProperty("effectiveProfile").GetString());
        var consumerStats = Stats(consumed);
        Assert.Single(consumerStats.GetProperty("streams").EnumerateArray());
        Assert.True(consumerStats.GetProperty("packets").GetInt64() > 0, consumerStats.ToString());
    }

    [Fact]
    public async Task Stats_are_left_out_unless_asked_for_and_a_bad_flag_is_refused()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        await using var alice = new PlainRtpPeer(joined[0]);
        await alice.ProduceAudioAsync();

        var plain = await node.GetAsync($"/admin/rooms/{_room}?worker=false");
        var bad = await node.GetAsync($"/admin/rooms/{_room}?stats=yes");

        Assert.Equal(JsonValueKind.Null, Producer(plain.Json).GetProperty("stats").ValueKind);
        Assert.Equal((HttpStatusCode.BadRequest, "stats must be true or false, got \"yes\""), (bad.Status, bad.Error));
    }

    private static JsonElement Producer(JsonElement dump) => Assert.Single(Peer(dump, "alice").GetProperty("producers").EnumerateArray());

    private static JsonElement Consumer(JsonElement dump) => Assert.Single(Peer(dump, "bob").GetProperty("consumers").EnumerateArray());

    private static JsonElement Peer(JsonElement dump, string name) =>
        dump.GetProperty("peers").EnumerateArray().Single(peer => peer.GetProperty("name").GetString() == name);

    private static JsonElement Stats(JsonElement dumped) =>
        dumped.GetProperty("stats") is { ValueKind: JsonValueKind.Object } stats ? stats : throw new Xunit.Sdk.XunitException($"no stats: {dumped}");
}
