using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.Grains.Interfaces;
using Coordinator.Silo.Workers;
using Coordinator.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Gateway.Tests.Admin;

/// <summary>Every admin endpoint end to end: protoo clients, a real gateway, real mediasoup workers.</summary>
[Collection(AdminNodeCollection.Name)]
public sealed class AdminRoomTests(AdminNode node)
{
    private readonly string _room = $"room-{Guid.NewGuid():N}";

    [Fact]
    public async Task The_listing_shows_each_open_room_with_its_sizes_and_placement()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;
        await alice.ProduceTo(bob, "audio");

        var response = await node.GetAsync("/admin/rooms");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Empty(response.Json.GetProperty("unreachableSilos").EnumerateArray());
        var room = Assert.Single(response.Json.GetProperty("rooms").EnumerateArray(), room => room.GetProperty("id").GetString() == _room);
        Assert.Equal((2, 1, 1, 1), (Int(room, "peers"), Int(room, "transports"), Int(room, "producers"), Int(room, "consumers")));
        Assert.Equal(await SiloOf(_room), room.GetProperty("silo").GetString());
        Assert.Equal(Worker.Id, room.GetProperty("worker").GetString());
    }

    [Fact]
    public async Task The_dump_shows_peers_transports_producers_consumers_and_the_workers_own_dumps()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;
        var send = await alice.CreateSendTransport();
        var audio = await alice.Produce(send, "audio");
        var video = await alice.Produce(send, "video");
        var recv = await bob.CreateRecvTransport();
        await bob.EnableConsumers(recv, count: 2);

        var response = await node.GetAsync($"/admin/rooms/{_room}");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var dump = response.Json;
        Assert.Equal(_room, dump.GetProperty("id").GetString());
        Assert.Equal(Worker.Id, dump.GetProperty("worker").GetString());
        Assert.Equal(await SiloOf(_room), dump.GetProperty("silo").GetString());
        Assert.Equal(200, dump.GetProperty("settings").GetProperty("maxPeers").GetInt32());
        var peers = dump.GetProperty("peers").EnumerateArray().ToArray();
        Assert.Equal(["alice", "bob"], peers.Select(peer => peer.GetProperty("name").GetString()));
        Assert.Equal(["publish", "subscribe"], peers[0].GetProperty("grants").EnumerateArray().Select(grant => grant.GetString()));

        var transport = Assert.Single(peers[0].GetProperty("transports").EnumerateArray());
        Assert.Equal(send, transport.GetProperty("id").GetUInt32());
        Assert.Equal("webrtc", transport.GetProperty("kind").GetString());
        Assert.Equal(send, transport.GetProperty("worker").GetProperty("transportId").GetUInt32());
        Assert.Equal("client", transport.GetProperty("worker").GetProperty("dtlsLocalParameters").GetProperty("role").GetString());
        var producers = peers[0].GetProperty("producers").EnumerateArray().ToArray();
        Assert.Equal([audio, video], producers.Select(producer => producer.GetProperty("id").GetUInt32()));
        Assert.Equal([audio, video], producers.Select(producer => producer.GetProperty("worker").GetProperty("producerId").GetUInt32()));
        Assert.All(producers, producer => Assert.Single(producer.GetProperty("consumerIds").EnumerateArray()));

        var consumers = peers[1].GetProperty("consumers").EnumerateArray().ToArray();
        Assert.Equal(2, consumers.Length);
        foreach (var consumer in consumers)
        {
            var worker = consumer.GetProperty("worker");
            Assert.Equal(consumer.GetProperty("id").GetUInt32(), worker.GetProperty("consumerId").GetUInt32());
            Assert.Equal(consumer.GetProperty("producerId").GetUInt32(), worker.GetProperty("sourceProducerId").GetUInt32());
            Assert.Equal(recv, consumer.GetProperty("transportId").GetUInt32());
            Assert.Equal("alice", consumer.GetProperty("producerPeer").GetString());
            Assert.True(worker.TryGetProperty("rtpParameters", out _), "an enabled consumer's worker dump has its RTP parameters");
            Assert.Equal(JsonValueKind.Null, consumer.GetProperty("workerError").ValueKind);
        }

        var bare = await node.GetAsync($"/admin/rooms/{_room}?worker=false");
        Assert.Equal(JsonValueKind.Null, bare.Json.GetProperty("peers")[1].GetProperty("consumers")[0].GetProperty("worker").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, (await node.GetAsync($"/admin/rooms/{_room}?worker=maybe")).Status);
    }

    [Fact]
    public async Task Unknown_rooms_peers_and_producers_are_404_and_bad_ids_400()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        var unused = $"unused-{Guid.NewGuid():N}";

        AssertError(HttpStatusCode.NotFound, $"room \"{unused}\" is not open", await node.GetAsync($"/admin/rooms/{unused}"));
        AssertError(HttpStatusCode.NotFound, $"room \"{unused}\" is not open", await node.PostAsync($"/admin/rooms/{unused}/close"));
        AssertError(HttpStatusCode.NotFound, $"room \"{unused}\" is not open", await node.GetAsync($"/admin/rooms/{unused}/settings"));
        AssertError(HttpStatusCode.NotFound, $"no peer \"zoe\" in room \"{_room}\"", await node.PostAsync($"/admin/rooms/{_room}/peers/zoe/close"));
        AssertError(HttpStatusCode.NotFound, $"no producer 123 in room \"{_room}\"", await node.PostAsync($"/admin/rooms/{_room}/producers/123/pause"));
        AssertError(
            HttpStatusCode.BadRequest,
            "producer id must be an unsigned 32-bit integer, got \"abc\"",
            await node.PostAsync($"/admin/rooms/{_room}/producers/abc/pause"));
        AssertError(HttpStatusCode.NotFound, "no such admin endpoint", await node.GetAsync("/admin/nothing-here"));

        // A room id no socket could name is refused before it becomes a grain key.
        AssertError(HttpStatusCode.BadRequest, "roomId is empty or only whitespace", await node.GetAsync("/admin/rooms/%20"));
        AssertError(HttpStatusCode.BadRequest, "roomId contains the control character U+000A", await node.PostAsync("/admin/rooms/a%0Ab/close"));

        // Asking about a room never opens it.
        Assert.DoesNotContain(Rooms(await node.GetAsync("/admin/rooms")), id => id == unused);
    }

    [Fact]
    public async Task Room_ids_and_peer_names_with_slashes_and_spaces_are_addressed_percent_encoded()
    {
        var room = $"team/{_room} a";
        await using var alice = await node.JoinedPeerAsync(room, "alice smith/ops");
        var path = $"/admin/rooms/{Uri.EscapeDataString(room)}";

        var dump = await node.GetAsync(path);
        var removed = await node.PostAsync($"{path}/peers/{Uri.EscapeDataString("alice smith/ops")}/close");

        Assert.Equal(room, dump.Json.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, removed.Status);
        Assert.Equal((WebSocketCloseStatus)CloseCodes.DoNotReconnect, await alice.WaitForCloseAsync());
    }

    [Fact]
    public async Task Closing_a_room_sends_closed_to_every_peer_and_ends_their_sockets_with_4000()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;

        var response = await node.PostAsync($"/admin/rooms/{_room}/close", new { reason = "maintenance" });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Json.GetProperty("closed").GetBoolean());
        foreach (var client in new[] { alice, bob })
        {
            Assert.Equal((WebSocketCloseStatus)CloseCodes.DoNotReconnect, await client.WaitForCloseAsync());
            Assert.Equal("maintenance", client.CloseDescription);
            Assert.Equal("closed", client.Methods()[^1]);
        }

        Assert.Equal(["newPeer", "closed"], alice.Methods());
        Assert.Equal(["peerClosed", "closed"], bob.Methods());
        Assert.Equal(HttpStatusCode.NotFound, (await node.PostAsync($"/admin/rooms/{_room}/close")).Status);
        Assert.DoesNotContain(Rooms(await node.GetAsync("/admin/rooms")), id => id == _room);
    }

    [Fact]
    public async Task Removing_a_peer_closes_it_with_4000_and_tells_the_others_peerClosed()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;
        await alice.ProduceTo(bob, "audio");

        var response = await node.PostAsync($"/admin/rooms/{_room}/peers/alice/close", new { reason = "kicked", appData = new { by = "ops" } });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal((WebSocketCloseStatus)CloseCodes.DoNotReconnect, await alice.WaitForCloseAsync());
        Assert.Equal("kicked", alice.CloseDescription);
        JsonExpect.Equal("""{"method":"closed","target":"peer","notification":true,"appData":{"by":"ops"}}""", alice.Notifications[^1]);
        JsonExpect.Equal(
            """{"method":"peerClosed","target":"peer","notification":true,"name":"alice","appData":{"by":"ops"}}""",
            await bob.WaitForNotificationAsync("peerClosed"));

        // bob stays, without a consumerClosed (peerClosed said it all), and alice's media is gone.
        await bob.QueryRoomAsync().Ok();
        Assert.Equal(["newConsumer", "peerClosed"], bob.Methods());
        var listing = (await node.GetAsync("/admin/rooms")).Json.GetProperty("rooms").EnumerateArray();
        var room = Assert.Single(listing, r => r.GetProperty("id").GetString() == _room);
        Assert.Equal((1, 0, 0, 0), (Int(room, "peers"), Int(room, "transports"), Int(room, "producers"), Int(room, "consumers")));
        Assert.Equal(HttpStatusCode.NotFound, (await node.PostAsync($"/admin/rooms/{_room}/peers/alice/close")).Status);

        // The removed peer may come back (4000 only tells its client not to do so by itself).
        await using var again = await node.JoinedPeerAsync(_room, "alice");
    }

    [Fact]
    public async Task Pausing_a_producer_tells_its_owner_and_consumers_and_holds_until_the_admin_resumes_it()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;
        var (producer, consumer) = await alice.ProduceTo(bob, "audio");
        await bob.MediasoupAsync(Requests.EnableConsumer(consumer, await bob.CreateRecvTransport())).Ok();

        var paused = await node.PostAsync($"/admin/rooms/{_room}/producers/{producer}/pause", new { appData = new { reason = "too loud" } });

        Assert.Equal(HttpStatusCode.OK, paused.Status);
        JsonExpect.Equal(
            $$$"""{"id":{{{producer}}},"peerName":"alice","changed":true,"paused":true,"locallyPaused":true,"remotelyPaused":false}""", paused.Json);
        JsonExpect.Equal(
            $$$"""{"method":"producerPaused","target":"peer","notification":true,"id":{{{producer}}},"peerName":"alice","appData":{"reason":"too loud"}}""",
            await alice.WaitForNotificationAsync("producerPaused"));
        JsonExpect.Equal(
            $$$"""{"method":"consumerPaused","target":"peer","notification":true,"id":{{{consumer}}},"peerName":"alice"}""",
            await bob.WaitForNotificationAsync("consumerPaused"));
        Assert.False((await node.PostAsync($"/admin/rooms/{_room}/producers/{producer}/pause")).Json.GetProperty("changed").GetBoolean());

        // Its owner's resume does not lift a server pause.
        await alice.NotifyAndSettle(Requests.Notification("resumeProducer", producer));
        var dumped = (await node.GetAsync($"/admin/rooms/{_room}")).Json.GetProperty("peers")[0].GetProperty("producers")[0];
        Assert.True(dumped.GetProperty("paused").GetBoolean());
        Assert.True(dumped.GetProperty("worker").GetProperty("paused").GetBoolean());

        var resumed = await node.PostAsync($"/admin/rooms/{_room}/producers/{producer}/resume");
        Assert.Equal(HttpStatusCode.OK, resumed.Status);
        Assert.False(resumed.Json.GetProperty("paused").GetBoolean());
        await alice.WaitForNotificationAsync("producerResumed");
        await bob.WaitForNotificationAsync("consumerResumed");
        Assert.False((await node.GetAsync($"/admin/rooms/{_room}")).Json.GetProperty("peers")[0].GetProperty("producers")[0].GetProperty("worker").GetProperty("paused").GetBoolean());
    }

    [Fact]
    public async Task Room_settings_override_max_peers_and_the_empty_room_timeout_and_can_prepare_a_room()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await node.GetAsync($"/admin/rooms/{_room}/settings")).Status);

        var put = await node.PutAsync($"/admin/rooms/{_room}/settings", new { maxPeers = 1, emptyRoomTimeout = "00:00:30" });

        Assert.Equal(HttpStatusCode.OK, put.Status);
        JsonExpect.Equal("""{"maxPeers":1,"emptyRoomTimeout":"00:00:30","overrides":{"maxPeers":1,"emptyRoomTimeout":"00:00:30"}}""", put.Json);
        Assert.Contains(Rooms(await node.GetAsync("/admin/rooms")), id => id == _room); // prepared before anyone joined
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        await using var bob = await node.ConnectAsync(_room, "bob");
        var refused = await bob.JoinAsync();
        JsonExpect.ErrorResponse(refused, 403, "Error: too many peers in this room (limit 1)");

        // This node's grace period is 0, yet the emptied room stays for its own timeout.
        await alice.NotifyAndSettle(Requests.Notification("leave"));
        await Task.Delay(500);
        Assert.Contains(Rooms(await node.GetAsync("/admin/rooms")), id => id == _room);
        JsonExpect.Equal(
            """{"maxPeers":1,"emptyRoomTimeout":"00:00:30","overrides":{"maxPeers":1,"emptyRoomTimeout":"00:00:30"}}""",
            (await node.GetAsync($"/admin/rooms/{_room}/settings")).Json);

        // maxPeers back to the deployment's value, and a zero timeout (in seconds): the empty room closes at once.
        var reset = await node.PutAsync($"/admin/rooms/{_room}/settings", new { maxPeers = (int?)null, emptyRoomTimeout = 0 });
        JsonExpect.Equal("""{"maxPeers":200,"emptyRoomTimeout":"00:00:00","overrides":{"maxPeers":null,"emptyRoomTimeout":"00:00:00"}}""", reset.Json);
        await Eventually.True(
            async () => !Rooms(await node.GetAsync("/admin/rooms")).Contains(_room), TimeSpan.FromSeconds(10), "the emptied room to close");
    }

    [Theory]
    [InlineData("""{"maxPeers":0}""", "maxPeers must be a positive integer or null")]
    [InlineData("""{"maxPeers":"ten"}""", "maxPeers must be a positive integer or null")]
    [InlineData("""{"emptyRoomTimeout":"soon"}""", "emptyRoomTimeout must be a duration (\"hh:mm:ss\" or a number of seconds) or null")]
    [InlineData("""{"emptyRoomTimeout":-1}""", "emptyRoomTimeout cannot be negative")]
    [InlineData("""{"emptyRoomTimeout":"2.00:00:00"}""", "emptyRoomTimeout cannot exceed 1.00:00:00")]
    [InlineData("""{"maxpeers":5}""", "unknown property \"maxpeers\" (expected maxPeers, emptyRoomTimeout)")]
    [InlineData("""[1]""", "the body must be a JSON object")]
    [InlineData("""{"maxPeers":""", "the body is not valid JSON")]
    public async Task Bad_settings_are_refused_with_400_and_open_nothing(string body, string error)
    {
        AssertError(HttpStatusCode.BadRequest, error, await node.PutAsync($"/admin/rooms/{_room}/settings", body));

        Assert.Equal(HttpStatusCode.NotFound, (await node.GetAsync($"/admin/rooms/{_room}/settings")).Status);
    }

    [Fact]
    public async Task Bad_bodies_of_actions_are_refused_with_400()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");

        AssertError(HttpStatusCode.BadRequest, "reason must be a string", await node.PostAsync($"/admin/rooms/{_room}/close", new { reason = 5 }));
        AssertError(HttpStatusCode.BadRequest, "unknown property \"appData\" (expected reason)", await node.PostAsync($"/admin/rooms/{_room}/close", new { appData = 1 }));
        AssertError(
            HttpStatusCode.RequestEntityTooLarge,
            "the body is larger than 65536 bytes",
            await node.PostAsync($"/admin/rooms/{_room}/peers/alice/close", new { appData = new string('x', 70_000) }));
        Assert.Equal(["alice"], (await node.GetAsync($"/admin/rooms/{_room}")).Json.GetProperty("peers").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    private MediaWorker Worker => Assert.Single(node.Services.GetRequiredService<WorkerPool>().Workers);

    private async Task<string> SiloOf(string room) =>
        (await node.Services.GetRequiredService<IGrainFactory>().GetGrain<IRoomGrain>(room).Host()).ToParsableString();

    private static int Int(JsonElement element, string name) => element.GetProperty(name).GetInt32();

    private static IReadOnlyList<string> Rooms(AdminResponse listing) =>
        [.. listing.Json.GetProperty("rooms").EnumerateArray().Select(room => room.GetProperty("id").GetString()!)];

    private static void AssertError(HttpStatusCode status, string error, AdminResponse response)
    {
        Assert.True(status == response.Status, $"expected {(int)status}, got {response}");
        Assert.Equal(error, response.Error);
    }
}
