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
        var send = await alice.CreateTransport();
        Assert.Equal(0, (await bob.Grain.Describe()).LastSeq);

        var producer = await alice.Produce(send, paused: true);

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
        Assert.DoesNotContain("newConsumer", alice.Methods());
        Assert.True(fixture.RouterWithTransport(send).IsProducerPaused(producer));
    }

    [Fact]
    public async Task Source_pause_reaches_enabled_consumers_only_and_enableConsumer_reports_it()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        await using var carol = await _room.JoinAsync("carol");
        var (_, producer, bobConsumer) = await alice.ProduceTo(bob);
        var carolConsumer = (await carol.WaitForNotificationAsync("newConsumer")).GetProperty("id").GetUInt32();
        var bobRecv = await bob.CreateTransport();
        await bob.Enable(bobConsumer, bobRecv);

        await alice.NotifyAsync("pauseProducer", new { id = producer });
        var carolRecv = await carol.CreateTransport();
        var carolEnabled = await carol.Enable(carolConsumer, carolRecv);

        await bob.WaitForNotificationAsync("consumerPaused");
        Assert.True(carolEnabled.GetProperty("paused").GetBoolean());
        Assert.DoesNotContain("consumerPaused", carol.Methods());

        await alice.NotifyAsync("resumeProducer", new { id = producer });
        await carol.WaitForNotificationAsync("consumerResumed");
        await bob.WaitForNotificationAsync("consumerResumed");
    }

    [Fact]
    public async Task CloseTransport_closes_its_producers_consumers_and_only_disables_consumers_sending_on_it()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        var aliceSend = await alice.CreateTransport();
        await alice.Produce(aliceSend);
        var bobSend = await bob.CreateTransport();
        await bob.Produce(bobSend);
        var aliceConsumer = (await alice.WaitForNotificationAsync("newConsumer")).GetProperty("id").GetUInt32();
        var router = fixture.RouterWithTransport(aliceSend);

        // alice receives bob's producer on her send transport (direction is never enforced), then closes it.
        await alice.Enable(aliceConsumer, aliceSend);
        await alice.NotifyAsync("closeTransport", new { id = aliceSend });

        await bob.WaitForNotificationAsync("consumerClosed");
        Assert.DoesNotContain(alice.Notifications, n => n.GetProperty("method").GetString() is "transportClosed" or "consumerClosed");
        Assert.Null(router.ConsumerTransport(aliceConsumer));

        // The same transport id is free again, and the disabled consumer can be enabled on it.
        Assert.Equal(aliceSend, await alice.CreateTransport(aliceSend));
        await alice.Enable(aliceConsumer, aliceSend);
    }

    [Fact]
    public async Task A_leaving_producer_sends_only_peerClosed_and_its_objects_leave_the_media_plane()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        var send = await alice.CreateTransport();
        await alice.Produce(send);
        await alice.Produce(send);
        await bob.WaitForItemsAsync(2);
        var router = fixture.RouterWithTransport(send);

        await alice.LeaveAsync();

        await bob.WaitForNotificationAsync("peerClosed");
        Assert.Equal(["newConsumer", "newConsumer", "peerClosed"], bob.Methods());
        Assert.Empty(router.Producers);
        Assert.Empty(router.Consumers);
    }
}
