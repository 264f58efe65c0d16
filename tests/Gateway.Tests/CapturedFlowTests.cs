using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.TestSupport;

namespace Coordinator.Gateway.Tests;

/// <summary>
/// Replays the real session captured between mediasoup-client 2.4.12 in Chromium and mediasoup
/// 2.6.19 (the same client messages, the same ids) against an embedded node with real workers,
/// and compares what comes back with what the reference sent, random values aside.
/// </summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class CapturedFlowTests(EmbeddedNode node)
{
    private readonly string _room = $"room-{Guid.NewGuid():N}";

    [Fact]
    public async Task The_captured_session_gets_the_reference_servers_answers()
    {
        await using var bob = await node.ConnectAsync(_room, "bob");
        await using var alice = await node.ConnectAsync(_room, "alice");
        await bob.MediasoupAsync(CapturedSession.Sent("bob", "join")).Ok();
        await alice.MediasoupAsync(CapturedSession.Sent("alice", "join")).Ok();

        // alice: send transport with her DTLS parameters, then audio and video producers.
        var sendTransport = await alice.MediasoupAsync(CapturedSession.Sent("alice", "createTransport")).Ok();
        AssertTransportShape(sendTransport, expectedRole: "client");
        foreach (var produce in CapturedSession.SentAll("alice", "createProducer"))
        {
            JsonExpect.Equal("{}", await alice.MediasoupAsync(produce).Ok());
        }

        // bob (joined earlier) hears of both producers, exactly as the reference announced them.
        await bob.WaitForNotificationsAsync("newConsumer", 2);
        var bobConsumers = bob.Notifications("newConsumer");
        var expected = CapturedSession.Received("bob", "newConsumer");
        Assert.Equal(expected.Select(Normalized), bobConsumers.Select(Normalized));

        // bob: receive transport, DTLS via updateTransport, then enable both consumers.
        var recvRequest = JsonNode.Parse(CapturedSession.Sent("bob", "createTransport").GetRawText())!;
        AssertTransportShape(await bob.MediasoupAsync(recvRequest).Ok(), expectedRole: "auto");
        await bob.NotifyAsync("mediasoup-notification", CapturedSession.Sent("bob", "updateTransport"));
        foreach (var consumer in bobConsumers)
        {
            var enable = new JsonObject
            {
                ["method"] = "enableConsumer",
                ["target"] = "peer",
                ["id"] = consumer.GetProperty("id").GetUInt32(),
                ["transportId"] = recvRequest["id"]!.GetValue<long>(),
                ["paused"] = false,
                ["preferredProfile"] = "default",
            };
            JsonExpect.Equal("""{"paused":false,"preferredProfile":"default","effectiveProfile":null}""", await bob.MediasoupAsync(enable).Ok());
        }

        // carol joins late: alice's consumers come inside her join response.
        await using var carol = await node.ConnectAsync(_room, "carol");
        var carolJoin = await carol.MediasoupAsync(CapturedSession.Sent("carol", "join")).Ok();
        var expectedJoin = CapturedSession.ResponseTo("carol", "join");
        Assert.Equal(
            expectedJoin.GetProperty("peers").EnumerateArray().Select(NormalizedPeer).OrderBy(p => p),
            carolJoin.GetProperty("peers").EnumerateArray().Select(NormalizedPeer).OrderBy(p => p));

        // Teardown: alice closes her video producer, then leaves.
        var videoProducer = CapturedSession.SentAll("alice", "createProducer").Single(p => p.GetProperty("kind").GetString() == "video");
        await alice.NotifyAsync("mediasoup-notification", new { method = "closeProducer", target = "peer", notification = true, id = videoProducer.GetProperty("id").GetUInt32() });
        await alice.NotifyAsync("mediasoup-notification", new { method = "leave", target = "peer", notification = true });
        foreach (var receiver in new[] { bob, carol })
        {
            await receiver.WaitForNotificationAsync("peerClosed");
            var tail = receiver.Methods().Where(m => m is "consumerClosed" or "peerClosed");
            Assert.Equal(["consumerClosed", "peerClosed"], tail);
        }

        var bobVideo = bobConsumers.Single(c => c.GetProperty("kind").GetString() == "video").GetProperty("id").GetUInt32();
        Assert.Equal(bobVideo, bob.Notifications("consumerClosed").Single().GetProperty("id").GetUInt32());
    }

    private static void AssertTransportShape(JsonElement response, string expectedRole)
    {
        var ice = response.GetProperty("iceParameters");
        Assert.Equal(16, ice.GetProperty("usernameFragment").GetString()!.Length);
        Assert.Equal(32, ice.GetProperty("password").GetString()!.Length);
        Assert.True(ice.GetProperty("iceLite").GetBoolean());
        var candidates = response.GetProperty("iceCandidates").EnumerateArray().ToArray();
        Assert.Equal(["udp", "tcp"], candidates.Select(c => c.GetProperty("protocol").GetString()));
        Assert.All(candidates, c => Assert.Equal("host", c.GetProperty("type").GetString()));
        var dtls = response.GetProperty("dtlsParameters");
        Assert.Equal(["sha-1", "sha-224", "sha-256", "sha-384", "sha-512"], dtls.GetProperty("fingerprints").EnumerateArray().Select(f => f.GetProperty("algorithm").GetString()));
        Assert.Equal(expectedRole, dtls.GetProperty("role").GetString());
    }

    /// <summary>The consumer JSON with its random values (consumer id, ssrcs) blanked.</summary>
    private static string Normalized(JsonElement consumer)
    {
        var node = JsonNode.Parse(consumer.GetRawText())!.AsObject();
        node["id"] = 0;
        foreach (var encoding in node["rtpParameters"]!["encodings"]!.AsArray())
        {
            encoding!["ssrc"] = 0;
            if (encoding["rtx"] is JsonObject rtx)
            {
                rtx["ssrc"] = 0;
            }
        }

        return Canonical(node);
    }

    private static string NormalizedPeer(JsonElement peer)
    {
        var node = JsonNode.Parse(peer.GetRawText())!.AsObject();
        node["consumers"] = new JsonArray([.. peer.GetProperty("consumers").EnumerateArray().Select(c => JsonNode.Parse(Normalized(c)))]);
        return Canonical(node);
    }

    /// <summary>Key order does not matter on the wire; sort keys so equal JSON compares equal as text.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
