using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.TestSupport;

namespace Coordinator.Grains.Tests;

/// <summary>
/// The state and fan-out rules of docs/protocol.md#state at the grain level, on two silos, with the in-memory
/// media plane (the same rules run against real workers in the gateway tests).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ProtocolRuleTests(ClusterFixture fixture)
{
    private readonly TestRoom _room = new(fixture.Client);

    [Fact]
    public async Task A_new_producer_gets_one_consumer_per_other_peer_spies_included_announced_before_its_response()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        await using var spy = await _room.JoinAsync("spy", spy: true);
        var send = await CreateTransport(alice);
        Assert.Equal(0, (await bob.Grain.Describe()).LastSeq);

        var producer = await Produce(alice, send, paused: true);

        // Handed over (numbered by each peer's grain) before the response returned.
        Assert.Equal(1, (await bob.Grain.Describe()).LastSeq);
        Assert.Equal(1, (await spy.Grain.Describe()).LastSeq);
        foreach (var other in new[] { bob, spy })
        {
            var announced = await other.WaitForNotificationAsync("newConsumer");
            Assert.False(announced.GetProperty("paused").GetBoolean()); // docs/protocol.md#pausing: even though the producer is paused
            Assert.Equal("alice", announced.GetProperty("peerName").GetString());
        }

        Assert.Equal(2, fixture.RouterWithTransport(send).Consumers.Count);
        Assert.DoesNotContain(alice.Notifications, n => n.GetProperty("method").GetString() == "newConsumer");
        Assert.True(fixture.RouterWithTransport(send).IsProducerPaused(producer));
    }

    [Fact]
    public async Task Source_pause_reaches_enabled_consumers_only_and_enableConsumer_reports_it()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        await using var carol = await _room.JoinAsync("carol");
        var send = await CreateTransport(alice);
        var producer = await Produce(alice, send);
        var bobConsumer = (await bob.WaitForNotificationAsync("newConsumer")).GetProperty("id").GetUInt32();
        var carolConsumer = (await carol.WaitForNotificationAsync("newConsumer")).GetProperty("id").GetUInt32();
        var bobRecv = await CreateTransport(bob);
        Assert.True((await Enable(bob, bobConsumer, bobRecv)).Ok);

        await alice.NotifyAsync("pauseProducer", new { id = producer });
        var carolRecv = await CreateTransport(carol);
        var carolEnabled = await Enable(carol, carolConsumer, carolRecv);

        await bob.WaitForNotificationAsync("consumerPaused");
        Assert.True(carolEnabled.Data!.Value.GetProperty("paused").GetBoolean());
        Assert.DoesNotContain(carol.Notifications, n => n.GetProperty("method").GetString() == "consumerPaused");

        await alice.NotifyAsync("resumeProducer", new { id = producer });
        await carol.WaitForNotificationAsync("consumerResumed");
        await bob.WaitForNotificationAsync("consumerResumed");
    }

    [Fact]
    public async Task CloseTransport_closes_its_producers_consumers_and_only_disables_consumers_sending_on_it()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        var aliceSend = await CreateTransport(alice);
        await Produce(alice, aliceSend);
        var bobSend = await CreateTransport(bob);
        await Produce(bob, bobSend);
        var aliceConsumer = (await alice.WaitForNotificationAsync("newConsumer")).GetProperty("id").GetUInt32();
        var router = fixture.RouterWithTransport(aliceSend);

        // alice receives bob's producer on her send transport (direction is never enforced), then closes it.
        Assert.True((await Enable(alice, aliceConsumer, aliceSend)).Ok);
        await alice.NotifyAsync("closeTransport", new { id = aliceSend });

        await bob.WaitForNotificationAsync("consumerClosed");
        Assert.DoesNotContain(alice.Notifications, n => n.GetProperty("method").GetString() is "transportClosed" or "consumerClosed");
        Assert.Null(router.ConsumerTransport(aliceConsumer));

        // The same transport id is free again, and the disabled consumer can be enabled on it.
        Assert.Equal(aliceSend, await CreateTransport(alice, aliceSend));
        Assert.True((await Enable(alice, aliceConsumer, aliceSend)).Ok);
    }

    [Fact]
    public async Task A_leaving_producer_sends_only_peerClosed_and_its_objects_leave_the_media_plane()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        var send = await CreateTransport(alice);
        await Produce(alice, send);
        await Produce(alice, send, ssrc: 2222);
        await bob.WaitForItemsAsync(2);
        var router = fixture.RouterWithTransport(send);

        await alice.LeaveAsync();

        await bob.WaitForNotificationAsync("peerClosed");
        Assert.Equal(["newConsumer", "newConsumer", "peerClosed"], bob.Notifications.Select(n => n.GetProperty("method").GetString()));
        Assert.Empty(router.Producers);
        Assert.Empty(router.Consumers);
    }

    private static uint _nextId = (uint)Random.Shared.Next(10_000_000, 90_000_000);

    private static uint NextId() => Interlocked.Increment(ref _nextId);

    private static async Task<uint> CreateTransport(TestPeer peer, uint? id = null)
    {
        var transport = id ?? NextId();
        var result = await peer.RequestAsync("createTransport", new { id = transport, direction = "send", options = new { } });
        Assert.True(result.Ok, result.ErrorReason);
        return transport;
    }

    private static async Task<uint> Produce(TestPeer peer, uint transport, bool paused = false, int ssrc = 1111)
    {
        var id = NextId();
        var request = JsonNode.Parse(CapturedSession.SentAll("alice", "createProducer")[0].GetRawText())!.AsObject();
        request["id"] = id;
        request["transportId"] = transport;
        request["paused"] = paused;
        request["rtpParameters"]!["encodings"]![0]!["ssrc"] = ssrc;
        request["rtpParameters"]!.AsObject().Remove("muxId");
        var result = await peer.Grain.Request(peer.Session, JsonSerializer.SerializeToElement(request));
        Assert.True(result.Ok, result.ErrorReason);
        return id;
    }

    private static Task<Interfaces.MediasoupResult> Enable(TestPeer peer, uint consumer, uint transport) =>
        peer.RequestAsync("enableConsumer", new { id = consumer, transportId = transport, paused = false, preferredProfile = "default" });
}
