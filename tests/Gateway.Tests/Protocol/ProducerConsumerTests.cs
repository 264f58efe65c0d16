using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests.Protocol;

/// <summary>
/// Producers and consumers against real workers (docs/protocol.md#createproducer to #consumer-stats,
/// #state, #pausing, #cascades).
/// </summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class ProducerConsumerTests(EmbeddedNode node)
{
    private readonly string _room = $"room-{Guid.NewGuid():N}";

    [Fact]
    public async Task CreateProducer_checks_in_the_reference_order()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        await using var spy = await node.ConnectAsync(_room, "spy");
        await spy.JoinAsSpyAsync().Ok();
        var transport = await alice.CreateSendTransport();
        var spyTransport = await spy.CreateSendTransport();

        var badKind = Requests.Producer(Requests.NewId(), transport, "audio");
        badKind["kind"] = "smell";
        var vp9 = Requests.Producer(Requests.NewId(), transport, "video");
        vp9["rtpParameters"]!["codecs"]![0]!["name"] = "VP9";
        vp9["rtpParameters"]!["codecs"]![0]!["mimeType"] = "video/VP9";
        var noTransport = Requests.Producer(Requests.NewId(), 1, "audio");

        Assert.Equal("TypeError: unsupported kind: smell", await alice.MediasoupAsync(badKind).Error());
        Assert.Equal("Error: spy peers cannot create producers", await spy.MediasoupAsync(Requests.Producer(Requests.NewId(), spyTransport, "audio")).Error());
        Assert.Equal("Error: wrong RTP parameters: Error: unsupported codec [name:VP9, payloadType:96]", await alice.MediasoupAsync(vp9).Error());
        Assert.Equal("TypeError: WebRtcTransport not found", await alice.MediasoupAsync(noTransport).Error());

        var id = await alice.Produce(transport, "audio");
        var duplicate = await alice.MediasoupAsync(Requests.Producer(id, transport, "audio")).Error();
        Assert.Equal("Error: a Producer with same producerId already exists", duplicate);
    }

    /// <summary>
    /// The reference does not check an encoding's SSRC; its media plane reads one that is not a
    /// 32-bit unsigned integer as none (docs/protocol.md#identifiers). Kept on purpose.
    /// </summary>
    [Theory]
    [InlineData("4294967296")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"123\"")]
    [InlineData("4294967295")]
    public async Task An_ssrc_outside_uint32_is_accepted_as_the_reference_accepts_it(string ssrc)
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        var transport = await alice.CreateSendTransport();
        var producer = Requests.Producer(Requests.NewId(), transport, "audio");
        producer["rtpParameters"]!["encodings"] = new JsonArray(new JsonObject { ["ssrc"] = JsonNode.Parse(ssrc) });
        JsonExpect.Equal("{}", await alice.MediasoupAsync(producer).Ok());
    }

    [Fact]
    public async Task Every_other_peer_gets_one_consumer_spies_included_and_a_late_joiner_gets_them_in_its_join_response()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        await using var spy = await node.ConnectAsync(_room, "spy");
        await spy.JoinAsSpyAsync().Ok();
        var transport = await alice.CreateSendTransport();
        await alice.Produce(transport, "audio", paused: true);

        var announced = await spy.WaitForNotificationAsync("newConsumer");
        await using var carol = await node.ConnectAsync(_room, "carol");
        var carolJoin = await carol.JoinAsync().Ok();

        // A paused producer's consumers are still announced unpaused (docs/protocol.md#pausing).
        Assert.False(announced.GetProperty("paused").GetBoolean());
        Assert.Equal("alice", announced.GetProperty("peerName").GetString());
        Assert.Equal("audio", announced.GetProperty("kind").GetString());
        var alicePeer = Assert.Single(carolJoin.GetProperty("peers").EnumerateArray());
        var consumer = Assert.Single(alicePeer.GetProperty("consumers").EnumerateArray());
        Assert.False(consumer.GetProperty("paused").GetBoolean());
        Assert.Equal(JsonValueKind.Null, consumer.GetProperty("effectiveProfile").ValueKind);
        Assert.Equal("""{"source":"mic"}""", consumer.GetProperty("appData").GetRawText().Replace(" ", ""));

        // Enabling reports the real paused state.
        var recv = await carol.CreateRecvTransport();
        var enabled = await carol.MediasoupAsync(Requests.EnableConsumer(consumer.GetProperty("id").GetUInt32(), recv)).Ok();
        JsonExpect.Equal("""{"paused":true,"preferredProfile":"default","effectiveProfile":null}""", enabled);
    }

    [Fact]
    public async Task Producer_pause_and_resume_reach_enabled_consumers_only()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob", "carol");
        var (alice, bob, carol) = joined;
        var (video, bobConsumer) = await alice.ProduceTo(bob, "video");
        await carol.WaitForNotificationAsync("newConsumer");
        var recv = await bob.CreateRecvTransport();
        await bob.MediasoupAsync(Requests.EnableConsumer(bobConsumer, recv)).Ok();

        await alice.Notify(Requests.Notification("pauseProducer", video));
        await alice.Notify(Requests.Notification("pauseProducer", video)); // already paused: nothing
        await alice.NotifyAndSettle(Requests.Notification("resumeProducer", video));
        await bob.WaitForNotificationAsync("consumerResumed");

        JsonExpect.Equal($$$"""{"method":"consumerPaused","target":"peer","notification":true,"id":{{{bobConsumer}}},"peerName":"alice"}""", Assert.Single(bob.Notifications("consumerPaused")));
        JsonExpect.Equal($$$"""{"method":"consumerResumed","target":"peer","notification":true,"id":{{{bobConsumer}}},"peerName":"alice"}""", Assert.Single(bob.Notifications("consumerResumed")));
        Assert.Equal(["newConsumer"], carol.Methods()); // carol never enabled hers
        Assert.Equal(["newPeer", "newPeer"], alice.Methods()); // the owner hears nothing of its own pause
    }

    [Fact]
    public async Task EnableConsumer_checks_in_the_reference_order_and_client_pause_and_profile_send_nothing()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;
        var (_, consumer) = await alice.ProduceTo(bob, "audio");
        var recv = await bob.CreateRecvTransport();

        Assert.Equal("Error: Consumer not found", await bob.MediasoupAsync(Requests.EnableConsumer(1, recv)).Error());
        Assert.Equal("TypeError: Transport not found", await bob.MediasoupAsync(Requests.EnableConsumer(consumer, 1)).Error());
        var enabled = await bob.MediasoupAsync(Requests.EnableConsumer(consumer, recv, paused: true)).Ok();
        Assert.Equal("InvalidStateError: Consumer already enabled", await bob.MediasoupAsync(Requests.EnableConsumer(consumer, recv)).Error());

        // A locally paused client consumer is not reported as paused: the client knows it.
        Assert.False(enabled.GetProperty("paused").GetBoolean());
        await bob.Notify(Requests.Notification("resumeConsumer", consumer));
        await bob.Notify(Requests.Notification("pauseConsumer", consumer));
        await bob.Notify(Requests.Notification("setConsumerPreferredProfile", consumer, new { profile = "low" }));
        await bob.NotifyAndSettle(Requests.Notification("setConsumerPreferredProfile", consumer, new { profile = "bogus" }));
        Assert.Equal(["newConsumer"], bob.Methods());
    }

    [Fact]
    public async Task Closing_a_producer_closes_its_consumers_but_a_leaving_peer_only_sends_peerClosed()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;
        var send = await alice.CreateSendTransport();
        var audio = await alice.Produce(send, "audio");
        await alice.Produce(send, "video");
        await bob.WaitForFramesAsync(f => ProtooClient.IsNotification(f), 2);

        await alice.Notify(Requests.Notification("updateProducer", audio, new { rtpParameters = new { } })); // ignored, as by server 2.6
        await alice.NotifyAndSettle(Requests.Notification("closeProducer", audio));
        await alice.NotifyAndSettle(Requests.Notification("closeProducer", audio)); // unknown now: silently ignored
        await alice.Notify(Requests.Notification("leave"));

        await bob.WaitForNotificationAsync("peerClosed");
        Assert.Equal(["newConsumer", "newConsumer", "consumerClosed", "peerClosed"], bob.Methods());
    }

    [Fact]
    public async Task Stats_come_from_the_worker_and_follow_the_paused_rules()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;
        var send = await alice.CreateSendTransport();
        var audio = await alice.Produce(send, "audio");
        var paused = await alice.Produce(send, "video", paused: true);
        var consumer = (await bob.WaitForNotificationAsync("newConsumer")).GetProperty("id").GetUInt32();

        await alice.Notify(Requests.Notification("enableProducerStats", audio, new { interval = 100 }));
        await alice.Notify(Requests.Notification("enableProducerStats", paused));
        await bob.Notify(Requests.Notification("enableConsumerStats", consumer, new { interval = "soon" })); // not a number: ignored
        await bob.NotifyAndSettle(Requests.Notification("enableConsumerStats", consumer)); // not enabled yet: no report at once

        var producerStats = await alice.WaitForNotificationAsync("producerStats");
        JsonExpect.Equal($$$"""{"method":"producerStats","target":"peer","notification":true,"id":{{{audio}}},"stats":[]}""", producerStats);
        Assert.All(alice.Notifications("producerStats"), stats => Assert.Equal(audio, stats.GetProperty("id").GetUInt32())); // never the paused one
        Assert.Empty(bob.Notifications("consumerStats"));

        var recv = await bob.CreateRecvTransport();
        await bob.MediasoupAsync(Requests.EnableConsumer(consumer, recv)).Ok();
        var consumerStats = await bob.WaitForNotificationAsync("consumerStats");
        Assert.Equal("alice", consumerStats.GetProperty("peerName").GetString());
        Assert.Equal(JsonValueKind.Array, consumerStats.GetProperty("stats").ValueKind);
    }
}
