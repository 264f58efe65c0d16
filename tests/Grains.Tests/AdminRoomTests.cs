using System.Text.Json;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Tests;

/// <summary>
/// The admin API's room operations at the grain level (the server rows of docs/protocol.md#pausing,
/// the server close of docs/protocol.md#cascades), on two silos with the in-memory media plane.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AdminRoomTests(ClusterFixture fixture)
{
    private static readonly JsonElement Kicked = JsonSerializer.SerializeToElement(new { why = "kicked" });
    private readonly TestRoom _room = new(fixture.Client);

    private IRoomGrain Room => _room.Grain;

    [Fact]
    public async Task A_removed_peer_gets_closed_and_4000_the_others_peerClosed_and_its_media_goes()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        await using var spy = await _room.JoinAsync("spy", spy: true);
        var (send, _, _) = await alice.ProduceTo(bob);
        var router = fixture.RouterWithTransport(send);
        var bobRecv = await bob.CreateTransport();

        Assert.Equal(AdminStatus.Done, await Room.RemovePeer("alice", Kicked, "removed by the test"));

        JsonExpect.Equal("""{"method":"closed","target":"peer","notification":true,"appData":{"why":"kicked"}}""", await alice.WaitForNotificationAsync("closed"));
        Assert.Equal(new SessionEnd(CloseCodes.DoNotReconnect, "removed by the test"), await EndOf(alice));
        var peerClosed = """{"method":"peerClosed","target":"peer","notification":true,"name":"alice","appData":{"why":"kicked"}}""";
        JsonExpect.Equal(peerClosed, await bob.WaitForNotificationAsync("peerClosed"));
        JsonExpect.Equal(peerClosed, await spy.WaitForNotificationAsync("peerClosed"));

        // Its producer went without consumerClosed (the others learnt from peerClosed), its transport too.
        Assert.DoesNotContain("consumerClosed", bob.Methods());
        Assert.Equal([bobRecv], router.Transports);
        Assert.Empty(router.Producers);
        Assert.Empty(router.Consumers);
        Assert.Equal(["bob", "spy"], (await Room.Describe()).Peers);
        Assert.Equal(AdminStatus.PeerNotFound, await Room.RemovePeer("alice", null, "again"));

        // A spy leaves silently.
        Assert.Equal(AdminStatus.Done, await Room.RemovePeer("spy", null, "removed by the test"));
        await spy.WaitForNotificationAsync("closed");
        Assert.Equal(["newConsumer", "peerClosed"], bob.Methods());
    }

    [Fact]
    public async Task Removing_the_last_peer_lets_the_room_close_after_its_grace_period()
    {
        await using var alice = await _room.JoinAsync("alice");

        Assert.Equal(AdminStatus.Done, await Room.RemovePeer("alice", null, "bye"));

        await Eventually(async () => (await Room.Describe()).Incarnation is null, "the emptied room to close");
        Assert.Equal(AdminStatus.RoomNotFound, await Room.RemovePeer("alice", null, "bye"));
        Assert.Null(await Room.Dump(withWorkerDumps: false));
    }

    [Fact]
    public async Task A_server_pause_tells_the_owner_and_enabled_consumers_and_the_owner_cannot_undo_it()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        await using var carol = await _room.JoinAsync("carol");
        var (send, producer, bobConsumer) = await alice.ProduceTo(bob);
        await carol.WaitForNotificationAsync("newConsumer");
        await bob.Enable(bobConsumer, await bob.CreateTransport());
        var router = fixture.RouterWithTransport(send);

        var paused = await Room.SetProducerPaused(producer, paused: true, Kicked);

        Assert.Equal(new ProducerPauseResult(AdminStatus.Done, "alice", Paused: true, LocallyPaused: true, RemotelyPaused: false), paused);
        Assert.True(router.IsProducerPaused(producer));
        JsonExpect.Equal(
            $$$"""{"method":"producerPaused","target":"peer","notification":true,"id":{{{producer}}},"peerName":"alice","appData":{"why":"kicked"}}""",
            await alice.WaitForNotificationAsync("producerPaused"));
        JsonExpect.Equal(
            $$$"""{"method":"consumerPaused","target":"peer","notification":true,"id":{{{bobConsumer}}},"peerName":"alice"}""",
            await bob.WaitForNotificationAsync("consumerPaused"));
        Assert.Equal(AdminStatus.Unchanged, (await Room.SetProducerPaused(producer, paused: true, null)).Status);

        // The owner's resume clears only its own flag.
        await alice.NotifyAsync("resumeProducer", new { id = producer });
        var dumped = (await Room.Dump(false))!.Peers[0].Producers[0];
        Assert.True(dumped.Paused);
        Assert.True(router.IsProducerPaused(producer));

        var resumed = await Room.SetProducerPaused(producer, paused: false, null);
        Assert.Equal(new ProducerPauseResult(AdminStatus.Done, "alice", Paused: false, LocallyPaused: false, RemotelyPaused: false), resumed);
        Assert.False(router.IsProducerPaused(producer));
        JsonExpect.Equal(
            $$$"""{"method":"producerResumed","target":"peer","notification":true,"id":{{{producer}}},"peerName":"alice"}""",
            await alice.WaitForNotificationAsync("producerResumed"));
        await bob.WaitForNotificationAsync("consumerResumed");
        Assert.Equal(AdminStatus.Unchanged, (await Room.SetProducerPaused(producer, paused: false, null)).Status);

        // carol never enabled her consumer: she hears of neither (docs/protocol.md#pausing).
        Assert.Equal(["newConsumer"], carol.Methods());
    }

    [Fact]
    public async Task A_server_pause_of_a_producer_its_client_paused_tells_only_the_owner_and_keeps_it_paused()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        var (send, producer, bobConsumer) = await alice.ProduceTo(bob, paused: true);
        await bob.Enable(bobConsumer, await bob.CreateTransport());

        Assert.Equal(AdminStatus.Done, (await Room.SetProducerPaused(producer, paused: true, null)).Status);
        await alice.WaitForNotificationAsync("producerPaused");

        // The client resumes: still paused by the server, so nothing for bob, and the media stays paused.
        await alice.NotifyAsync("resumeProducer", new { id = producer });
        Assert.True(fixture.RouterWithTransport(send).IsProducerPaused(producer));
        Assert.Equal(["newConsumer"], bob.Methods());
        var resumed = await Room.SetProducerPaused(producer, paused: false, null);
        Assert.Equal(new ProducerPauseResult(AdminStatus.Done, "alice", Paused: false, LocallyPaused: false, RemotelyPaused: false), resumed);
        await bob.WaitForNotificationAsync("consumerResumed");
        Assert.DoesNotContain("consumerPaused", bob.Methods());
        Assert.False(fixture.RouterWithTransport(send).IsProducerPaused(producer));
    }

    [Fact]
    public async Task Unknown_producers_and_rooms_are_reported_not_created()
    {
        await using var alice = await _room.JoinAsync("alice");

        Assert.Equal(AdminStatus.ProducerNotFound, (await Room.SetProducerPaused(12345, paused: true, null)).Status);
        var unused = fixture.Client.GetGrain<IRoomGrain>($"unused-{Guid.NewGuid():N}");
        Assert.Equal(AdminStatus.RoomNotFound, (await unused.SetProducerPaused(1, paused: true, null)).Status);
        Assert.Equal(AdminStatus.RoomNotFound, await unused.CloseByAdmin("nothing to close"));
        Assert.Null(await unused.LifecycleSettings());
        Assert.Null(await unused.Dump(withWorkerDumps: true));
        Assert.Null((await unused.Describe()).Incarnation);
    }

    [Fact]
    public async Task The_dump_shows_every_object_with_its_worker_dump()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        var (send, producer, consumer) = await alice.ProduceTo(bob);
        var recv = await bob.CreateTransport();
        await bob.Enable(consumer, recv);

        var dump = (await Room.Dump(withWorkerDumps: true))!;

        Assert.Equal(_room.Id, dump.Id);
        Assert.Equal(fixture.RouterWithTransport(send).WorkerId, dump.Worker);
        Assert.Equal((await Room.Host()).ToParsableString(), dump.Silo);
        Assert.Equal(["alice", "bob"], dump.Peers.Select(peer => peer.Name));
        var aliceTransport = Assert.Single(dump.Peers[0].Transports);
        Assert.Equal(send, aliceTransport.Worker!.Value.GetProperty("transportId").GetUInt32());
        var dumpedProducer = Assert.Single(dump.Peers[0].Producers);
        Assert.Equal([consumer], dumpedProducer.ConsumerIds);
        Assert.Equal(producer, dumpedProducer.Worker!.Value.GetProperty("producerId").GetUInt32());
        var dumpedConsumer = Assert.Single(dump.Peers[1].Consumers);
        Assert.Equal((consumer, producer, "alice", (uint?)recv), (dumpedConsumer.Id, dumpedConsumer.ProducerId, dumpedConsumer.ProducerPeer, dumpedConsumer.TransportId));
        Assert.Equal(producer, dumpedConsumer.Worker!.Value.GetProperty("sourceProducerId").GetUInt32());
        Assert.Null(dumpedConsumer.WorkerError);

        var bare = (await Room.Dump(withWorkerDumps: false))!;
        Assert.Null(bare.Peers[1].Consumers[0].Worker);
    }

    [Fact]
    public async Task Per_room_max_peers_refuses_joins_beyond_it_and_an_empty_room_keeps_its_own_timeout()
    {
        var settings = await Room.ApplyLifecycleSettings(new RoomSettingsOverride(MaxPeers: 1, EmptyRoomTimeout: TimeSpan.FromSeconds(30)));

        Assert.Equal(new RoomLifecycleSettings(1, TimeSpan.FromSeconds(30), new RoomSettingsOverride(1, TimeSpan.FromSeconds(30))), settings);
        var incarnation = (await Room.Describe()).Incarnation;
        Assert.NotNull(incarnation); // opened by the settings, before anyone joined
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.ConnectAsync("bob");
        var refused = await bob.JoinAsync();
        Assert.Equal("Error: too many peers in this room (limit 1)", refused.ErrorReason);
        Assert.Equal(403, refused.ErrorCode);

        // Well past the deployment's grace period the empty room is still there.
        await alice.LeaveAsync();
        await Task.Delay(ClusterFixture.GracePeriod * 3);
        Assert.Equal(incarnation, (await Room.Describe()).Incarnation);

        // Back to the deployment's values: the countdown restarts with its grace period.
        var defaults = await Room.ApplyLifecycleSettings(new RoomSettingsOverride(null, null));
        Assert.Equal(ClusterFixture.GracePeriod, defaults!.EmptyRoomTimeout);
        Assert.Equal(new RoomSettingsOverride(null, null), defaults.Overrides);
        await Eventually(async () => (await Room.Describe()).Incarnation is null, "the room to close with the deployment's grace period");
        await Assert.ThrowsAsync<ArgumentException>(() => Room.ApplyLifecycleSettings(new RoomSettingsOverride(0, null)));
    }

    [Fact]
    public async Task Closing_by_admin_closes_every_peer()
    {
        await using var alice = await _room.JoinAsync("alice");

        Assert.Equal(AdminStatus.Done, await Room.CloseByAdmin("closed by an operator"));

        await alice.WaitForNotificationAsync("closed");
        Assert.Equal(new SessionEnd(CloseCodes.DoNotReconnect, "closed by an operator"), await EndOf(alice));
        Assert.Equal(AdminStatus.RoomNotFound, await Room.CloseByAdmin("again"));
    }

    private static async Task<SessionEnd> EndOf(TestPeer peer)
    {
        await TestSupport.Eventually.True(() => peer.Items.Any(item => item.End is not null), TimeSpan.FromSeconds(10), $"{peer.Name}'s session to end");
        return peer.Items.Single(item => item.End is not null).End!;
    }

    private static Task Eventually(Func<Task<bool>> condition, string awaited) =>
        TestSupport.Eventually.True(condition, TimeSpan.FromSeconds(10), awaited);
}
