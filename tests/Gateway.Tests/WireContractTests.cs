using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Gateway.Tests;

/// <summary>The protoo envelope, seq numbering, routing and the demo server's gateway-level errors.</summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class WireContractTests(EmbeddedNode node)
{
    private readonly string _room = $"room-{Guid.NewGuid():N}";

    [Fact]
    public async Task QueryRoom_answers_exactly_what_the_reference_server_answered_for_the_demo_codecs()
    {
        await using var alice = await node.ConnectAsync(_room, "alice");

        var response = await alice.QueryRoomAsync();

        JsonExpect.Equal(new JsonObject
        {
            ["response"] = true,
            ["id"] = response.GetProperty("id").GetInt64(),
            ["ok"] = true,
            ["data"] = JsonNode.Parse(CapturedSession.ResponseTo("alice", "queryRoom").GetRawText()),
        }, response);
    }

    [Fact]
    public async Task Join_answers_with_the_peers_and_others_get_newPeer_with_a_top_level_seq()
    {
        await using var alice = await node.ConnectAsync(_room, "alice");
        await using var bob = await node.ConnectAsync(_room, "bob");
        await alice.JoinAsync(appData: new { displayName = "Alice" });

        var join = await bob.JoinAsync(appData: new { displayName = "Bob" });

        JsonExpect.Equal(
            $$$"""{"response":true,"id":{{{join.GetProperty("id")}}},"ok":true,"data":{"peers":[{"consumers":[],"name":"alice","appData":{"displayName":"Alice"}}]}}""",
            join);
        await alice.WaitForNotificationAsync("newPeer");
        JsonExpect.Equal(
            """{"notification":true,"method":"mediasoup-notification","data":{"method":"newPeer","target":"peer","notification":true,"consumers":[],"name":"bob","appData":{"displayName":"Bob"}},"seq":1}""",
            alice.Frames.Single(ProtooClient.IsNotification));
    }

    [Fact]
    public async Task Seq_counts_each_peers_notifications_from_one_without_gaps()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        for (var i = 0; i < 3; i++)
        {
            await using var visitor = await node.JoinedPeerAsync(_room, $"visitor{i}");
        }

        await alice.WaitForFramesAsync(ProtooClient.IsNotification, 6);
        var notifications = alice.Frames.Where(ProtooClient.IsNotification).ToArray();
        Assert.Equal([1, 2, 3, 4, 5, 6], notifications.Select(f => f.GetProperty("seq").GetInt64()));
        Assert.Equal(
            ["newPeer", "peerClosed", "newPeer", "peerClosed", "newPeer", "peerClosed"],
            notifications.Select(f => f.GetProperty("data").GetProperty("method").GetString()));
    }

    [Fact]
    public async Task A_duplicate_notification_is_dropped_and_a_gap_closes_the_socket_so_the_client_rejoins()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;
        await alice.WaitForNotificationAsync("newPeer");
        var cluster = node.Services.GetRequiredService<IClusterClient>();
        var session = (await cluster.GetGrain<IPeerGrain>(GrainKeys.Peer(_room, "alice")).Describe()).Session!;
        var stream = cluster.GetStreamProvider(GrainKeys.NotificationStreamProvider).GetStream<SessionStreamItem>(GrainKeys.NotificationStreamOf(session));
        var stray = JsonSerializer.SerializeToElement(new { method = "stray", target = "peer", notification = true });

        await stream.OnNextAsync(new SessionStreamItem { SessionId = session.SessionId, Seq = 1, Notification = stray });
        await stream.OnNextAsync(new SessionStreamItem { SessionId = session.SessionId, Seq = 3, Notification = stray });

        Assert.Equal((WebSocketCloseStatus)CloseCodes.ReconnectAndRejoin, await alice.WaitForCloseAsync());
        Assert.Contains("expected seq 2, got 3", alice.CloseDescription);
        Assert.Equal(["newPeer"], alice.Methods());
    }

    [Fact]
    public async Task Leave_is_a_notification_whatever_its_target_and_a_notification_sent_as_a_request_is_refused()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob", "carol");
        var (alice, bob, carol) = joined;

        await bob.NotifyAsync("mediasoup-notification", new { method = "leave", target = "peer", notification = true, appData = new { why = "notification" } });
        var asRequest = await carol.RequestAsync("mediasoup-notification", new { method = "leave", target = "peer", notification = true });
        var carolStillJoined = await carol.MediasoupAsync(new { method = "bogus", target = "peer" });
        await carol.NotifyAsync("mediasoup-notification", new { method = "leave", notification = true });

        JsonExpect.Equal($$$"""{"response":true,"id":{{{asRequest.GetProperty("id")}}},"errorCode":400,"errorReason":"unknown request.method \"mediasoup-notification\""}""", asRequest);
        JsonExpect.ErrorResponse(carolStillJoined, 500, "Error: unknown request method \"bogus\"");
        JsonExpect.Equal("""{"method":"peerClosed","target":"peer","notification":true,"name":"bob","appData":{"why":"notification"}}""",
            await alice.WaitForNotificationAsync("peerClosed", n => n.GetProperty("name").GetString() == "bob"));
        JsonExpect.Equal("""{"method":"peerClosed","target":"peer","notification":true,"name":"carol"}""",
            await alice.WaitForNotificationAsync("peerClosed", n => n.GetProperty("name").GetString() == "carol"));
    }

    [Fact]
    public async Task Gateway_level_errors_carry_the_demo_servers_codes_and_texts()
    {
        await using var alice = await node.ConnectAsync(_room, "alice");

        var beforeJoin = await alice.MediasoupAsync(new { method = "createTransport", target = "peer", id = 1 });
        var notYourName = await alice.JoinAsync(peerName: "mallory");
        var unknownProtooMethod = await alice.RequestAsync("getStats", new { });
        await alice.JoinAsync();
        var secondJoin = await alice.JoinAsync();

        JsonExpect.ErrorResponse(beforeJoin, 400, "no mediasoup Peer");
        JsonExpect.ErrorResponse(notYourName, 403, "that is not your corresponding mediasoup Peer name");
        JsonExpect.ErrorResponse(unknownProtooMethod, 400, "unknown request.method \"getStats\"");
        JsonExpect.ErrorResponse(secondJoin, 500, "already have a mediasoup Peer");
    }

    [Fact]
    public async Task A_failing_mediasoup_request_is_a_500_with_the_reference_text()
    {
        await using var alice = await node.ConnectAsync(_room, "alice");
        var vp9Only = JsonDocument.Parse("""{"codecs":[{"kind":"video","name":"VP9","mimeType":"video/VP9","clockRate":90000,"preferredPayloadType":98}],"headerExtensions":[]}""").RootElement;

        var badCapabilities = await alice.JoinAsync(vp9Only);
        var queryNotARequest = await alice.MediasoupAsync(new { method = "queryRoom", target = "room", notification = true });
        var joinNotARequest = await alice.MediasoupAsync(new { method = "join", target = "room", peerName = "alice", notification = true });

        // The reference app routes by method alone: anything but queryRoom and join is for the joined peer.
        var roomTargetBeforeJoin = await alice.MediasoupAsync(new { method = "dump", target = "room" });
        await alice.JoinAsync();
        var roomTargetAfterJoin = await alice.MediasoupAsync(new { method = "dump", target = "room" });
        var unknownPeerMethod = await alice.MediasoupAsync(new { method = "bogus", target = "peer" });
        var notARequest = await alice.MediasoupAsync(new { method = "bogus", target = "peer", notification = true });

        JsonExpect.ErrorResponse(badCapabilities, 500, "Error: unsupported codec [name:VP9, preferredPayloadType:98]");
        JsonExpect.ErrorResponse(queryNotARequest, 500, "TypeError: not a request");
        JsonExpect.ErrorResponse(joinNotARequest, 500, "TypeError: not a request");
        JsonExpect.ErrorResponse(roomTargetBeforeJoin, 400, "no mediasoup Peer");
        JsonExpect.ErrorResponse(roomTargetAfterJoin, 500, "Error: unknown request method \"dump\"");
        JsonExpect.ErrorResponse(unknownPeerMethod, 500, "Error: unknown request method \"bogus\"");
        JsonExpect.ErrorResponse(notARequest, 500, "TypeError: not a request");
    }

    [Fact]
    public async Task Requests_and_notifications_act_only_as_the_sockets_own_peer()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;

        // Whatever bob's socket names, it can only act as bob: a leave "from alice" makes bob leave.
        await bob.NotifyAsync("mediasoup-notification", new { method = "leave", target = "peer", notification = true, peerName = "alice" });

        JsonExpect.Equal("""{"method":"peerClosed","target":"peer","notification":true,"name":"bob"}""",
            await alice.WaitForNotificationAsync("peerClosed"));
    }

    [Fact]
    public async Task Closing_a_socket_closes_its_peer_for_the_others()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;

        await bob.CloseAsync();

        JsonExpect.Equal("""{"method":"peerClosed","target":"peer","notification":true,"name":"bob"}""",
            await alice.WaitForNotificationAsync("peerClosed"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_new_socket_for_a_connected_peer_replaces_the_old_one_with_close_code_4000(bool alone)
    {
        await using var bob = await node.ConnectAsync(_room, "bob");
        if (!alone)
        {
            await bob.JoinAsync();
        }

        await using var first = await node.JoinedPeerAsync(_room, "alice");

        await using var second = await node.ConnectAsync(_room, "alice");

        Assert.Equal((WebSocketCloseStatus)4000, await first.WaitForCloseAsync());
        var rejoin = await second.JoinAsync();
        Assert.True(rejoin.GetProperty("ok").GetBoolean(), rejoin.ToString());

        // The room lives on under the new connection: a later joiner finds alice there.
        await using var carol = await node.ConnectAsync(_room, "carol");
        var carolJoin = await carol.JoinAsync();
        var names = carolJoin.GetProperty("data").GetProperty("peers").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Contains("alice", names);
        if (!alone)
        {
            await bob.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "carol");
            Assert.Equal(
                ["newPeer:alice", "peerClosed:alice", "newPeer:alice", "newPeer:carol"],
                bob.Notifications.Select(n => $"{n.GetProperty("method").GetString()}:{n.GetProperty("name").GetString()}"));
        }
    }

    [Fact]
    public async Task When_the_server_closes_the_room_each_peer_gets_closed_and_then_close_code_4000()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;

        await node.Services.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>(_room).Close("closed by a test");

        Assert.Equal((WebSocketCloseStatus)CloseCodes.DoNotReconnect, await alice.WaitForCloseAsync());
        Assert.Equal((WebSocketCloseStatus)CloseCodes.DoNotReconnect, await bob.WaitForCloseAsync());
        Assert.Equal(["newPeer", "closed"], alice.Methods());
        Assert.Equal(["peerClosed", "closed"], bob.Methods());
        Assert.Equal("closed by a test", alice.CloseDescription);
    }

    [Fact]
    public async Task Malformed_frames_are_dropped_and_the_socket_stays_usable()
    {
        await using var alice = await node.ConnectAsync(_room, "alice");

        await alice.SendAsync("this is not json");
        await alice.SendAsync("[1,2,3]");
        await alice.SendAsync("{}");
        await alice.SendAsync("""{"request":true,"method":"mediasoup-request"}""");
        await alice.SendAsync("""{"request":true,"id":"7","method":"mediasoup-request","data":{}}""");
        await alice.SendAsync("""{"response":true,"id":1,"ok":true}""");
        await alice.SendAsync("""{"notification":true,"method":42}""");
        await alice.SendBinaryAsync([1, 2, 3]);

        var response = await alice.QueryRoomAsync();

        Assert.True(response.GetProperty("ok").GetBoolean());
        Assert.Single(alice.Frames);
    }

    [Fact]
    public async Task Strings_with_lone_surrogates_are_answered_not_fatal()
    {
        await using var alice = await node.ConnectAsync(_room, "alice");

        await alice.SendAsync("""{"request":true,"id":5,"method":"mediasoup-request","data":{"method":"\ud800","target":"room"}}""");
        await alice.SendAsync("""{"request":true,"id":6,"method":"\udc00","data":{}}""");
        await alice.SendAsync("""{"notification":true,"method":"\ud800x","data":{}}""");
        var response = await alice.QueryRoomAsync();

        Assert.True(response.GetProperty("ok").GetBoolean());
        Assert.Equal([5L, 6L], alice.Frames.Where(ProtooClient.IsResponse).Select(f => f.GetProperty("id").GetInt64()).Where(id => id is 5 or 6));
    }

    [Fact]
    public async Task The_join_response_is_written_before_any_notification_that_follows_it()
    {
        // Many sockets join at once, so notifications race with every join response.
        await using var clients = new JoinedPeers(await Task.WhenAll(Enumerable.Range(0, 12).Select(i => node.ConnectAsync(_room, $"p{i}"))));
        await Task.WhenAll(clients.Select(client => client.JoinAsync()));
        foreach (var client in clients)
        {
            var first = client.Frames[0];
            Assert.True(ProtooClient.IsResponse(first), $"{client.PeerName}'s first frame was {first}");
        }
    }
}
