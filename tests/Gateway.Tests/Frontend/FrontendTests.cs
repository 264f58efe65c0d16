using System.Net.WebSockets;
using System.Text.Json;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests.Frontend;

/// <summary>
/// The frontend contract at the gateway (docs/frontend-api.md), in development mode: many peer
/// sessions over one connection, each behaving as a browser socket would, and none acting on another.
/// </summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class FrontendTests(EmbeddedNode node)
{
    private readonly string _room = $"frontend-{Guid.NewGuid():N}";

    [Fact]
    public async Task Two_sessions_on_one_connection_join_one_room_and_hear_each_other_through_their_own_session()
    {
        await using var frontend = await FrontendClient.ConnectAsync(node.BaseUri);
        var alice = await frontend.OpenSessionAsync("s-alice", _room, "alice");
        var bob = await frontend.OpenSessionAsync("s-bob", _room, "bob");

        await alice.JoinAsync(CapturedSession.JoinCapabilities).Ok();
        var bobJoin = await bob.JoinAsync(CapturedSession.JoinCapabilities).Ok();
        Assert.Equal("alice", bobJoin.GetProperty("peers")[0].GetProperty("name").GetString());

        var newPeer = await alice.WaitForNotificationAsync("newPeer");
        Assert.Equal("bob", newPeer.GetProperty("name").GetString());
        Assert.DoesNotContain(bob.Notifications, n => n.GetProperty("method").GetString() == "newPeer");

        // Answers and notifications carry their session; each session numbers its own notifications from 1.
        var aliceFrames = alice.Frames;
        Assert.All(aliceFrames, frame => Assert.Equal("s-alice", frame.GetProperty("session").GetString()));
        Assert.Equal(1, aliceFrames.First(ProtooClient.IsNotification).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_session_behaves_as_a_browser_socket_and_its_close_makes_its_peer_leave()
    {
        await using var carol = await node.JoinedPeerAsync(_room, "carol");
        await using var frontend = await FrontendClient.ConnectAsync(node.BaseUri);
        var alice = await frontend.OpenSessionAsync("a", _room, "alice");

        // The same rules and texts as on a socket: a request before join, then join and a transport.
        await using var dave = await node.ConnectAsync(_room, "dave");
        var onSocket = await dave.MediasoupAsync(Requests.SendTransport(Requests.NewId())).Error();
        Assert.Equal(onSocket, await alice.MediasoupAsync(Requests.SendTransport(Requests.NewId())).Error());
        await alice.JoinAsync(CapturedSession.JoinCapabilities).Ok();
        await carol.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "alice");
        await alice.MediasoupAsync(Requests.SendTransport(Requests.NewId())).Ok();

        var closed = await frontend.CloseSessionAsync("a").Ok();
        JsonExpect.Equal("{}", closed);
        await carol.WaitForNotificationAsync("peerClosed", n => n.GetProperty("name").GetString() == "alice");

        // The id is free again, and names a fresh session.
        var again = await frontend.OpenSessionAsync("a", _room, "alice");
        await again.JoinAsync(CapturedSession.JoinCapabilities).Ok();
    }

    [Fact]
    public async Task CloseSession_takes_effect_after_the_frames_sent_before_it()
    {
        await using var carol = await node.JoinedPeerAsync(_room, "carol");
        await using var frontend = await FrontendClient.ConnectAsync(node.BaseUri);
        var alice = await frontend.OpenSessionAsync("alice", _room, "alice");
        await alice.JoinAsync(CapturedSession.JoinCapabilities).Ok();

        // Sent back to back: the leave (with its appData) is handled before the close.
        await alice.NotifyAsync(new { method = "leave", target = "peer", notification = true, appData = new { reason = "bye" } });
        var closing = frontend.CloseSessionAsync("alice");
        var stray = frontend.Connection.RequestAsync("mediasoup-request", new { method = "queryRoom", target = "room" }, "alice");
        await closing.Ok();
        Assert.Equal("no open session \"alice\"", await stray.Error());
        var left = await carol.WaitForNotificationAsync("peerClosed", n => n.GetProperty("name").GetString() == "alice");
        Assert.Equal("bye", left.GetProperty("appData").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_frame_for_one_session_never_acts_on_another()
    {
        await using var frontend = await FrontendClient.ConnectAsync(node.BaseUri);
        var alice = await frontend.OpenSessionAsync("one", _room, "alice");
        var bob = await frontend.OpenSessionAsync("two", _room, "bob");
        await alice.JoinAsync(CapturedSession.JoinCapabilities).Ok();
        await bob.JoinAsync(CapturedSession.JoinCapabilities).Ok();
        await alice.WaitForNotificationAsync("newPeer");

        // bob's leave ends bob only; alice stays joined and is told.
        await bob.NotifyAsync(new { method = "leave", target = "peer", notification = true });
        await alice.WaitForNotificationAsync("peerClosed", n => n.GetProperty("name").GetString() == "bob");
        await alice.MediasoupAsync(Requests.SendTransport(Requests.NewId())).Ok();
        await bob.MediasoupAsync(Requests.SendTransport(Requests.NewId())).Error();
    }

    [Fact]
    public async Task Bad_frames_get_clear_errors_and_change_nothing()
    {
        await using var frontend = await FrontendClient.ConnectAsync(node.BaseUri);
        var alice = await frontend.OpenSessionAsync("alice", _room, "alice");
        await alice.JoinAsync(CapturedSession.JoinCapabilities).Ok();

        Assert.Equal("no open session \"nobody\"", await frontend.Connection.RequestAsync("mediasoup-request", new { method = "queryRoom", target = "room" }, "nobody").Error());
        Assert.Equal("session \"alice\" is already open", await frontend.OpenSessionRawAsync(new { session = "alice", roomId = _room, peerName = "x", grants = Array.Empty<string>() }).Error());
        Assert.Equal("data.session must be a non-empty string", await frontend.OpenSessionRawAsync(new { roomId = _room, peerName = "x", grants = Array.Empty<string>() }).Error());
        Assert.Equal("roomId is empty or only whitespace", await frontend.OpenSessionRawAsync(new { session = "y", roomId = " ", peerName = "x", grants = Array.Empty<string>() }).Error());
        Assert.Equal("peerName contains the control character U+000A", await frontend.OpenSessionRawAsync(new { session = "y", roomId = _room, peerName = "x\n", grants = Array.Empty<string>() }).Error());
        Assert.Equal("data.grants: \"admin\" is not a peer grant (publish, subscribe, spy)", await frontend.OpenSessionRawAsync(new { session = "y", roomId = _room, peerName = "x", grants = new[] { "admin" } }).Error());
        Assert.Equal("data.grants must be an array of grant names (publish, subscribe, spy)", await frontend.OpenSessionRawAsync(new { session = "y", roomId = _room, peerName = "x" }).Error());
        Assert.Equal("no open session \"nobody\"", await frontend.CloseSessionAsync("nobody").Error());
        Assert.Equal("unknown request.method \"dance\"", await frontend.Connection.RequestAsync("dance", new { }).Error());
        Assert.Equal("a mediasoup request without a session can only be queryRoom", await frontend.Connection.RequestAsync("mediasoup-request", new { method = "join", target = "room" }).Error());
        await frontend.Connection.SendAsync("not json");
        await frontend.Connection.NotifyAsync("mediasoup-notification", new { method = "leave", target = "peer", notification = true }, "nobody");

        // Nothing of that touched the open session or the connection.
        await alice.MediasoupAsync(Requests.SendTransport(Requests.NewId())).Ok();
        Assert.False(frontend.Connection.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_room_can_be_queried_without_a_session()
    {
        await using var frontend = await FrontendClient.ConnectAsync(node.BaseUri);
        var capabilities = await frontend.QueryRoomAsync(_room).Ok();
        Assert.True(capabilities.GetProperty("rtpCapabilities").GetProperty("codecs").GetArrayLength() > 0);
        Assert.Equal("queryRoom without a session needs a roomId", await frontend.Connection.RequestAsync("mediasoup-request", new { method = "queryRoom", target = "room" }).Error());
    }

    [Fact]
    public async Task A_dropped_frontend_connection_makes_all_its_peers_leave()
    {
        await using var carol = await node.JoinedPeerAsync(_room, "carol");
        var frontend = await FrontendClient.ConnectAsync(node.BaseUri);
        foreach (var name in new[] { "alice", "bob" })
        {
            var session = await frontend.OpenSessionAsync(name, _room, name);
            await session.JoinAsync(CapturedSession.JoinCapabilities).Ok();
        }

        await frontend.DisposeAsync();
        foreach (var name in new[] { "alice", "bob" })
        {
            await carol.WaitForNotificationAsync("peerClosed", n => n.GetProperty("name").GetString() == name);
        }
    }

    [Fact]
    public async Task A_browser_socket_for_the_same_peer_replaces_the_session_which_is_told_with_4000()
    {
        await using var frontend = await FrontendClient.ConnectAsync(node.BaseUri);
        var alice = await frontend.OpenSessionAsync("alice", _room, "alice");
        var other = await frontend.OpenSessionAsync("bob", _room, "bob");
        await alice.JoinAsync(CapturedSession.JoinCapabilities).Ok();
        await other.JoinAsync(CapturedSession.JoinCapabilities).Ok();

        await using var browser = await node.JoinedPeerAsync(_room, "alice");
        var closed = await alice.WaitForSessionClosedAsync();
        Assert.Equal(4000, closed.GetProperty("code").GetInt32());

        // The connection and the other session go on; the closed session's id is unknown now.
        await other.MediasoupAsync(Requests.SendTransport(Requests.NewId())).Ok();
        await ProtooClient.WaitUntil(
            () => frontend.CloseSessionAsync("alice").Result.TryGetProperty("errorCode", out var code) && code.GetInt32() == 404,
            "the replaced session to be forgotten");
    }

    [Fact]
    public async Task The_frontend_endpoint_needs_its_sub_protocol()
    {
        var refused = await Assert.ThrowsAnyAsync<WebSocketException>(
            () => ProtooClient.ConnectAsync(new Uri(node.BaseUri, "/frontend"), "frontend", subProtocol: "protoo"));
        Assert.Contains("403", refused.Message + refused.InnerException?.Message, StringComparison.Ordinal);
    }
}
