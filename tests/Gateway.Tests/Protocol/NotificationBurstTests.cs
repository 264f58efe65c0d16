using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests.Protocol;

/// <summary>
/// A burst of notifications for one peer: its grain publishes what arrives while a publish is in
/// flight as one batch, and the peer must still see every notification once, numbered and in order.
/// </summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class NotificationBurstTests(EmbeddedNode node)
{
    [Fact]
    public async Task Peers_joining_and_leaving_at_once_reach_a_member_complete_and_in_seq_order()
    {
        const int Others = 12;
        var room = $"room-{Guid.NewGuid():N}";
        await using var alice = await node.JoinedPeerAsync(room, "alice");
        var others = await Task.WhenAll(Enumerable.Range(0, Others).Select(i => node.ConnectAsync(room, $"peer{i}")));

        await Task.WhenAll(others.Select(peer => peer.JoinAsync()));
        await Task.WhenAll(others.Select(peer => peer.DisposeAsync().AsTask()));
        await alice.WaitForNotificationsAsync("peerClosed", Others);

        var notifications = alice.Frames.Where(ProtooClient.IsNotification).ToList();
        Assert.Equal(Enumerable.Range(1, 2 * Others), notifications.Select(n => n.GetProperty("seq").GetInt32()));
        foreach (var name in Enumerable.Range(0, Others).Select(i => $"peer{i}"))
        {
            var forPeer = notifications.Select(n => n.GetProperty("data")).Where(d => d.GetProperty("name").GetString() == name).Select(d => d.GetProperty("method").GetString());
            Assert.Equal(["newPeer", "peerClosed"], forPeer);
        }
    }
}
