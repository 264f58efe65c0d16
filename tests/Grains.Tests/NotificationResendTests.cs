using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Tests;

/// <summary>
/// A gateway that finds a session's notifications missing (a queue died with its silo) asks the
/// Peer for them again: it gets the very items it published, from the asked seq on.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NotificationResendTests(ClusterFixture fixture)
{
    private readonly TestRoom _room = new(fixture.Client);

    [Fact]
    public async Task Resend_returns_the_published_items_from_the_asked_seq()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        await alice.WaitForNotificationAsync("newPeer");
        await alice.LeaveAsync();
        await bob.WaitForNotificationAsync("peerClosed");
        var published = bob.Items;

        var all = await bob.Grain.Resend(bob.Session, fromSeq: 1);
        Assert.NotNull(all);
        Assert.Equal(published.Select(item => item.Seq), all.Select(item => item.Seq));
        Assert.Equal(published.Select(item => item.Notification?.GetRawText()), all.Select(item => item.Notification?.GetRawText()));

        var tail = await bob.Grain.Resend(bob.Session, fromSeq: published[^1].Seq);
        Assert.Equal([published[^1].Seq], tail!.Select(item => item.Seq));

        var none = await bob.Grain.Resend(bob.Session, fromSeq: published[^1].Seq + 1);
        Assert.Empty(none!);
    }

    [Fact]
    public async Task Resend_for_another_session_or_an_unknown_peer_is_null()
    {
        await using var alice = await _room.JoinAsync("alice");
        var stranger = alice.Session with { SessionId = Guid.NewGuid() };

        Assert.Null(await alice.Grain.Resend(stranger, fromSeq: 1));

        var neverConnected = fixture.Client.GetGrain<IPeerGrain>(GrainKeys.Peer(alice.Session.RoomId, "nobody"));
        Assert.Null(await neverConnected.Resend(alice.Session with { PeerName = "nobody" }, fromSeq: 1));
    }
}
