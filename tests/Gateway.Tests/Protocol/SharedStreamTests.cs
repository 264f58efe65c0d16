using Coordinator.Grains.Interfaces;
using Coordinator.Tools.Protoo;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Gateway.Tests.Protocol;

/// <summary>
/// A gateway's sessions share its few notification streams: each must get exactly its own items,
/// and a socket replaced by a newer one for the same peer must never see the newer one's.
/// </summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class SharedStreamTests(EmbeddedNode node)
{
    [Fact]
    public async Task Sessions_on_one_stream_get_only_their_own_notifications()
    {
        // Rooms of one watcher each, until two watchers of different rooms share a stream.
        var watchers = new List<(string Room, ProtooClient Client, PeerSession Session)>();
        (string Room, ProtooClient Client, PeerSession Session) first, second;
        while (true)
        {
            var room = $"room-{Guid.NewGuid():N}";
            var client = await node.JoinedPeerAsync(room, "watcher");
            var session = await SessionOf(room, "watcher");
            var sharing = watchers.FindIndex(other => other.Session.NotificationStream == session.NotificationStream);
            watchers.Add((room, client, session));
            if (sharing >= 0)
            {
                (first, second) = (watchers[sharing], watchers[^1]);
                break;
            }
        }

        try
        {
            // Three notifications for the first watcher, one for the second, all on the same stream.
            await using var a = await node.JoinedPeerAsync(first.Room, "a");
            await using var b = await node.JoinedPeerAsync(first.Room, "b");
            await using var c = await node.JoinedPeerAsync(first.Room, "c");
            await using var d = await node.JoinedPeerAsync(second.Room, "d");
            await first.Client.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "c");
            await second.Client.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "d");

            Assert.Equal(["a", "b", "c"], first.Client.Notifications("newPeer").Select(n => n.GetProperty("name").GetString()));
            Assert.Equal(["d"], second.Client.Notifications("newPeer").Select(n => n.GetProperty("name").GetString()));
            Assert.Equal([1L, 2L, 3L], first.Client.Frames.Where(ProtooClient.IsNotification).Select(f => f.GetProperty("seq").GetInt64()));
            Assert.Equal([1L], second.Client.Frames.Where(ProtooClient.IsNotification).Select(f => f.GetProperty("seq").GetInt64()));
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                await watcher.Client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_replaced_session_never_sees_the_new_sessions_notifications()
    {
        var room = $"room-{Guid.NewGuid():N}";
        await using var bob = await node.JoinedPeerAsync(room, "bob");
        await using var oldAlice = await node.JoinedPeerAsync(room, "alice");
        var oldSession = await SessionOf(room, "alice");

        await using var newAlice = await node.JoinedPeerAsync(room, "alice");
        var newSession = await SessionOf(room, "alice");
        await using var carol = await node.JoinedPeerAsync(room, "carol");
        await newAlice.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "carol");

        Assert.NotEqual(oldSession.SessionId, newSession.SessionId);
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)CloseCodes.DoNotReconnect, await oldAlice.WaitForCloseAsync());
        Assert.Empty(oldAlice.Notifications("newPeer"));
        Assert.Equal(["carol"], newAlice.Notifications("newPeer").Select(n => n.GetProperty("name").GetString()));
    }

    private async Task<PeerSession> SessionOf(string room, string peer) =>
        (await node.Services.GetRequiredService<IClusterClient>().GetGrain<IPeerGrain>(GrainKeys.Peer(room, peer)).Describe()).Session!;
}
