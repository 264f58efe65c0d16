using System.Text.Json.Nodes;
using Coordinator.TestSupport;

namespace Coordinator.Gateway.Tests.Protocol;

/// <summary>Transports against real workers (docs/protocol.md#createtransport to #transport-stats, #cascades).</summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class TransportTests(EmbeddedNode node)
{
    private readonly string _room = $"room-{Guid.NewGuid():N}";

    [Fact]
    public async Task Transport_ids_are_unique_per_room_and_free_again_after_close()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;
        var id = await alice.CreateSendTransport();

        Assert.Equal("Error: a Transport with same transportId already exists", await bob.MediasoupAsync(Requests.SendTransport(id)).Error());

        await alice.NotifyAndSettle(Requests.Notification("closeTransport", id));
        await bob.MediasoupAsync(Requests.SendTransport(id)).Ok();
    }

    [Fact]
    public async Task Worker_rejections_reach_the_client_with_the_workers_reason()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        var noProtocols = Requests.RecvTransport(Requests.NewId());
        noProtocols["options"] = new JsonObject { ["udp"] = false, ["tcp"] = false };
        var fractionalId = Requests.RecvTransport(1);
        fractionalId["id"] = 1.5;

        Assert.Equal("Error: could not open any IP:port", await alice.MediasoupAsync(noProtocols).Error());
        Assert.Equal("Error: Request has not numeric internal.transportId", await alice.MediasoupAsync(fractionalId).Error());
    }

    [Fact]
    public async Task Options_select_the_candidates()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        var udpOnly = Requests.RecvTransport(Requests.NewId());
        udpOnly["options"] = new JsonObject { ["tcp"] = false, ["preferUdp"] = true, ["udp"] = "not a boolean" };

        var response = await alice.MediasoupAsync(udpOnly).Ok();

        var candidate = Assert.Single(response.GetProperty("iceCandidates").EnumerateArray());
        Assert.Equal("udp", candidate.GetProperty("protocol").GetString());
        Assert.Equal(1080142079, candidate.GetProperty("priority").GetInt64());
        Assert.Equal("auto", response.GetProperty("dtlsParameters").GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_dtls_failure_at_creation_removes_the_transport_silently_and_frees_its_id()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        var id = Requests.NewId();
        var request = Requests.SendTransport(id);
        request["dtlsParameters"]!["fingerprints"] = new JsonArray(new JsonObject { ["algorithm"] = "md5", ["value"] = "AA" });

        Assert.Equal("Error: unsupported remote fingerprint algorithm", await alice.MediasoupAsync(request).Error());

        await alice.MediasoupAsync(Requests.SendTransport(id)).Ok();
        Assert.DoesNotContain("transportClosed", alice.Methods());
    }

    [Fact]
    public async Task A_failing_updateTransport_closes_the_transport_with_transportClosed()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        var id = await alice.CreateSendTransport();

        // The send transport already has remote DTLS parameters: a second set is refused.
        await alice.Notify(Requests.UpdateTransport(id));

        JsonExpect.Equal($$$"""{"method":"transportClosed","target":"peer","notification":true,"id":{{{id}}}}""", await alice.WaitForNotificationAsync("transportClosed"));
        Assert.Equal("TypeError: WebRtcTransport not found", await alice.MediasoupAsync(Requests.Producer(Requests.NewId(), id, "audio")).Error());
    }

    [Fact]
    public async Task Closing_a_transport_closes_its_producers_for_the_consumers_but_tells_its_owner_nothing()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var (alice, bob) = joined;
        var send = await alice.CreateSendTransport();
        var audio = await alice.Produce(send, "audio");
        await alice.Produce(send, "video");
        await bob.WaitForFramesAsync(f => Tools.Protoo.ProtooClient.IsNotification(f), 2);

        await alice.Notify(Requests.Notification("closeTransport", send));
        await alice.NotifyAndSettle(Requests.Notification("closeProducer", audio)); // the client's trailing closeProducer: ignored

        await bob.WaitForNotificationsAsync("consumerClosed", 2);
        Assert.Equal(["newConsumer", "newConsumer", "consumerClosed", "consumerClosed"], bob.Methods());
        Assert.DoesNotContain(alice.Notifications, n => n.GetProperty("method").GetString() != "newPeer");
        await alice.MediasoupAsync(Requests.SendTransport(send)).Ok();
    }

    [Fact]
    public async Task Restarting_ice_returns_new_credentials()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        var id = Requests.NewId();
        var created = await alice.MediasoupAsync(Requests.SendTransport(id)).Ok();

        var restarted = await alice.MediasoupAsync(new { method = "restartTransport", target = "peer", id }).Ok();
        var unknown = await alice.MediasoupAsync(new { method = "restartTransport", target = "peer", id = 1 }).Error();

        var before = created.GetProperty("iceParameters");
        var after = restarted.GetProperty("iceParameters");
        Assert.NotEqual(before.GetProperty("usernameFragment").GetString(), after.GetProperty("usernameFragment").GetString());
        Assert.NotEqual(before.GetProperty("password").GetString(), after.GetProperty("password").GetString());
        Assert.True(after.GetProperty("iceLite").GetBoolean());
        Assert.Equal("Error: Transport not found", unknown);
    }

    [Fact]
    public async Task Plain_rtp_transports_answer_with_their_local_address()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        var id = Requests.NewId();
        var request = new { method = "createTransport", target = "peer", id, direction = "send", options = new { }, plainRtpParameters = new { ip = "127.0.0.1", port = 40000 } };

        var response = await alice.MediasoupAsync(request).Ok();
        var restart = await alice.MediasoupAsync(new { method = "restartTransport", target = "peer", id }).Error();
        var noOptions = await alice.MediasoupAsync(new { method = "createTransport", target = "peer", id = Requests.NewId(), plainRtpParameters = new { ip = "127.0.0.1", port = 40002 } }).Error();

        Assert.Equal("127.0.0.1", response.GetProperty("plainRtpParameters").GetProperty("ip").GetString());
        Assert.InRange(response.GetProperty("plainRtpParameters").GetProperty("port").GetInt32(), 20000, 29999);
        Assert.Equal("TypeError: transport.changeUfragPwd is not a function", restart);
        Assert.Equal("TypeError: Cannot read properties of undefined (reading 'preferIPv4')", noOptions);
    }

    [Fact]
    public async Task Transport_stats_are_reported_at_once_and_then_periodically()
    {
        await using var alice = await node.JoinedPeerAsync(_room, "alice");
        var id = await alice.CreateSendTransport();

        await alice.Notify(Requests.Notification("enableTransportStats", id, new { interval = 1000 }));
        await alice.Notify(Requests.Notification("enableTransportStats", id, new { interval = 5000 })); // ignored: already enabled

        var first = await alice.WaitForNotificationAsync("transportStats");
        Assert.Equal(id, first.GetProperty("id").GetUInt32());
        var stats = Assert.Single(first.GetProperty("stats").EnumerateArray());
        Assert.Equal("transport", stats.GetProperty("type").GetString());
        await alice.WaitForNotificationsAsync("transportStats", 2);

        await alice.NotifyAndSettle(Requests.Notification("disableTransportStats", id));
        var reports = alice.Notifications("transportStats").Count;

        // Watch one and a half intervals: at most a report already on its way may still arrive.
        await Task.Delay(1500);
        Assert.InRange(alice.Notifications("transportStats").Count, reports, reports + 1);
    }
}
