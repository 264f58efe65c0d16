using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;

namespace Coordinator.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RoomLifetimeTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TestRoom _room = new(fixture.Client);

    [Fact]
    public async Task An_empty_room_closes_after_the_grace_period_and_the_next_use_opens_a_new_incarnation()
    {
        await using var alice = await _room.JoinAsync("alice");
        var first = (await alice.Room.Describe()).Incarnation;
        await alice.LeaveAsync();
        Assert.Equal(first, (await alice.Room.Describe()).Incarnation); // still lingering

        await Eventually.True(async () => (await alice.Room.Describe()).Incarnation is null, Bound, "the empty room to close");

        await using var again = await _room.JoinAsync("alice");
        var second = (await again.Room.Describe()).Incarnation;
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Rejoining_within_the_grace_period_keeps_the_room()
    {
        await using var alice = await _room.JoinAsync("alice");
        var incarnation = (await alice.Room.Describe()).Incarnation;
        await alice.DisconnectAsync();

        await using var back = await _room.JoinAsync("alice");

        Assert.Equal(incarnation, (await back.Room.Describe()).Incarnation);
    }

    [Fact]
    public async Task Nothing_of_an_old_incarnation_acts_on_the_new_one()
    {
        await using var old = await _room.JoinAsync("alice");
        var oldIncarnation = (await old.Room.Describe()).Incarnation!.Value;
        await old.LeaveAsync();
        await Eventually.True(async () => (await old.Room.Describe()).Incarnation is null, Bound, "the empty room to close");
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        await alice.WaitForItemsAsync(1);

        // A late leave and a late notification hand-over, both addressed to the old incarnation.
        await alice.Room.Leave(alice.Session, oldIncarnation, appData: null);
        await alice.Grain.Deliver(alice.Session, oldIncarnation, operation: long.MaxValue, [JsonSerializer.SerializeToElement(new { method = "stale" })]);
        var current = (await alice.Room.Describe()).Incarnation!.Value;
        await alice.Grain.Deliver(alice.Session, current, operation: long.MaxValue, [JsonSerializer.SerializeToElement(new { method = "fresh" })]);

        await alice.WaitForItemsAsync(2);
        Assert.Equal(["alice", "bob"], (await alice.Room.Describe()).Peers);
        Assert.Equal(["newPeer", "fresh"], alice.Methods());
    }

    [Fact]
    public async Task A_new_session_replaces_the_old_one_which_is_told_not_to_reconnect()
    {
        await using var bob = await _room.JoinAsync("bob");
        await using var first = await _room.JoinAsync("alice");

        await using var second = await _room.ConnectAsync("alice");

        await first.WaitForItemsAsync(1);
        var end = Assert.Single(first.Items).End;
        Assert.Equal(CloseCodes.DoNotReconnect, end?.CloseCode);
        await bob.WaitForNotificationAsync("peerClosed");
        Assert.True((await second.JoinAsync()).Ok);
        await bob.WaitForItemsAsync(3);
        Assert.Equal(["newPeer:alice", "peerClosed:alice", "newPeer:alice"], bob.Notifications.Select(RoomMembershipTests.Describe));

        // Requests of the replaced session are refused.
        var stale = (await first.Grain.Request(first.Session, 0, JsonSerializer.SerializeToElement(new { method = "createTransport" }))).Result;
        Assert.False(stale.Ok);
    }

    [Fact]
    public async Task Reconnecting_the_only_peer_never_closes_the_room_under_the_new_connection()
    {
        await using var first = await _room.JoinAsync("alice");

        await using var second = await _room.ConnectAsync("alice");
        Assert.True((await second.JoinAsync()).Ok);
        var incarnation = (await second.Room.Describe()).Incarnation;

        // Watch for well over the grace period: the room must stay, with alice in it.
        var watchUntil = DateTime.UtcNow + (ClusterFixture.GracePeriod * 3);
        while (DateTime.UtcNow < watchUntil)
        {
            var snapshot = await second.Room.Describe();
            Assert.Equal(incarnation, snapshot.Incarnation);
            Assert.Equal(["alice"], snapshot.Peers);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Closing_a_room_closes_each_peer_in_join_order_as_the_reference_does()
    {
        await using var a = await _room.JoinAsync("a");
        await using var b = await _room.JoinAsync("b");
        await using var c = await _room.JoinAsync("c");
        await a.WaitForItemsAsync(2);
        await b.WaitForItemsAsync(1);
        var before = (await a.Room.Describe()).Incarnation;

        await a.Room.Close("test closes the room");

        // docs/protocol.md#cascades for peers A, B, C: A ← closed; B, C ← peerClosed(A); B ← closed; C ← peerClosed(B); C ← closed.
        await c.WaitForItemsAsync(4);
        await b.WaitForItemsAsync(4);
        await a.WaitForItemsAsync(4);
        Assert.Equal(["newPeer:b", "newPeer:c", "closed", "end:4000"], Transcript(a));
        Assert.Equal(["newPeer:c", "peerClosed:a", "closed", "end:4000"], Transcript(b));
        Assert.Equal(["peerClosed:a", "peerClosed:b", "closed", "end:4000"], Transcript(c));
        JsonExpect.Equal("""{"method":"closed","target":"peer","notification":true}""", a.Notifications.Last());
        Assert.Equal(1, a.Items.Count(item => item.End is not null));

        await using var again = await _room.JoinAsync("a");
        Assert.NotEqual(before, (await again.Room.Describe()).Incarnation);
    }

    [Fact]
    public async Task A_lost_media_worker_closes_the_room_and_the_room_id_starts_afresh()
    {
        await using var a = await _room.JoinAsync("a");
        await using var b = await _room.JoinAsync("b");
        var transport = await a.CreateTransport();
        var before = (await a.Room.Describe()).Incarnation;

        fixture.RouterWithTransport(transport).Kill("worker crashed in a test");

        await a.WaitForItemsAsync(3);
        await b.WaitForItemsAsync(3);
        Assert.Equal(["closed", "end:4000"], Transcript(a).Skip(1));
        Assert.Equal(["peerClosed:a", "closed", "end:4000"], Transcript(b));
        Assert.Contains("worker crashed in a test", b.Items[^1].End!.Reason);
        await using var again = await _room.JoinAsync("a");
        Assert.NotEqual(before, (await again.Room.Describe()).Incarnation);
    }

    [Fact]
    public async Task A_transport_the_worker_closes_is_reported_to_its_owner()
    {
        await using var a = await _room.JoinAsync("a");
        var transport = Steps.NextId();
        Assert.True((await a.RequestAsync("createTransport", new { id = transport, direction = "send", options = new { }, appData = new { x = 1 } })).Ok);

        fixture.RouterWithTransport(transport).CloseTransportFromWorker(transport);

        JsonExpect.Equal($$$"""{"method":"transportClosed","target":"peer","notification":true,"id":{{{transport}}}}""", await a.WaitForNotificationAsync("transportClosed"));
        var restart = await a.RequestAsync("restartTransport", new { id = transport });
        Assert.Equal("Error: Transport not found", restart.ErrorReason);
    }

    [Fact]
    public async Task Effective_profile_changes_reach_enabled_consumers_once_per_value()
    {
        await using var a = await _room.JoinAsync("a");
        await using var b = await _room.JoinAsync("b");
        var (send, _, consumer) = await a.ProduceTo(b);
        var router = fixture.RouterWithTransport(send);

        var recv = await b.CreateTransport(direction: "recv");
        var enabled = await b.Enable(consumer, recv);
        router.EmitConsumerEffectiveProfileChanged(consumer, "default");
        router.EmitConsumerEffectiveProfileChanged(consumer, "default"); // the same value again: not told twice

        JsonExpect.Equal("""{"paused":false,"preferredProfile":"default","effectiveProfile":null}""", enabled);
        JsonExpect.Equal($$$"""{"method":"consumerEffectiveProfileChanged","target":"peer","notification":true,"id":{{{consumer}}},"peerName":"a","profile":"default"}""",
            await b.WaitForNotificationAsync("consumerEffectiveProfileChanged"));
        await b.RequestAsync("enableConsumer", new { id = 1, transportId = recv }); // any later Room operation: the events were applied before it
        Assert.Single(b.Notifications, n => n.GetProperty("method").GetString() == "consumerEffectiveProfileChanged");
    }

    private static IEnumerable<string> Transcript(TestPeer peer) => peer.Items.Select(item => item.End is { } end
        ? $"end:{end.CloseCode}"
        : item.Notification!.Value.TryGetProperty("name", out var name)
            ? $"{item.Notification!.Value.GetProperty("method").GetString()}:{name.GetString()}"
            : item.Notification!.Value.GetProperty("method").GetString()!);

    [Fact]
    public async Task Room_and_peer_stay_active_while_connected_however_quiet()
    {
        await using var alice = await _room.JoinAsync("alice");
        var room = await alice.Room.Describe();
        var peer = await alice.Grain.Describe();

        // Idle collection is running (collection age is 2 s here): an idle probe grain gets collected.
        var probe = Guid.NewGuid();
        await fixture.Client.GetGrain<IProbeGrain>(probe).Touch();
        await Eventually.True(() => ProbeGrain.Deactivated.ContainsKey(probe), TimeSpan.FromSeconds(20), "idle collection of a probe grain");

        Assert.Equal(room.ActivationId, (await alice.Room.Describe()).ActivationId);
        Assert.Equal(peer.ActivationId, (await alice.Grain.Describe()).ActivationId);
        Assert.Equal(room.Incarnation, (await alice.Room.Describe()).Incarnation);
    }
}
