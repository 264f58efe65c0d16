using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Orleans.Runtime.Placement;

namespace Coordinator.Grains.Tests;

/// <summary>Protocol steps over a <see cref="TestPeer"/>, asserting success where success is the point, and room placement.</summary>
internal static class Steps
{
    private static uint _nextId = (uint)Random.Shared.Next(10_000_000, 90_000_000);

    /// <summary>A transport, producer or consumer id no other test uses.</summary>
    public static uint NextId() => Interlocked.Increment(ref _nextId);

    public static async Task<uint> CreateTransport(this TestPeer peer, uint? id = null, string direction = "send")
    {
        var transport = id ?? NextId();
        var result = await peer.RequestAsync("createTransport", new { id = transport, direction, options = new { } });
        Assert.True(result.Ok, result.ErrorReason);
        return transport;
    }

    /// <summary>
    /// The captured Chromium audio producer with its own id and ssrc (several may share a transport);
    /// <paramref name="appData"/>, when given, replaces the captured one.
    /// </summary>
    public static async Task<uint> Produce(this TestPeer peer, uint transport, bool paused = false, uint? id = null, object? appData = null)
    {
        var producer = id ?? NextId();
        var request = JsonNode.Parse(CapturedSession.SentAll("alice", "createProducer")[0].GetRawText())!.AsObject();
        request["id"] = producer;
        request["transportId"] = transport;
        request["paused"] = paused;
        request["rtpParameters"]!["encodings"]![0]!["ssrc"] = producer;
        request["rtpParameters"]!.AsObject().Remove("muxId");
        if (appData is not null)
        {
            request["appData"] = JsonSerializer.SerializeToNode(appData);
        }

        var result = (await peer.Grain.Request(peer.Session, 0, JsonSerializer.SerializeToElement(request))).Result;
        Assert.True(result.Ok, result.ErrorReason);
        return producer;
    }

    /// <summary>
    /// Creates a send transport and a producer on it, then waits until <paramref name="receiver"/> is
    /// told of its consumer; returns the transport's, the producer's and that consumer's ids.
    /// </summary>
    public static async Task<(uint Transport, uint Producer, uint Consumer)> ProduceTo(this TestPeer sender, TestPeer receiver, bool paused = false)
    {
        var transport = await sender.CreateTransport();
        var producer = await sender.Produce(transport, paused);
        var consumer = (await receiver.WaitForNotificationAsync("newConsumer")).GetProperty("id").GetUInt32();
        return (transport, producer, consumer);
    }

    /// <summary>Enables <paramref name="consumer"/> on <paramref name="transport"/>; returns the response's data.</summary>
    public static async Task<JsonElement> Enable(this TestPeer peer, uint consumer, uint transport)
    {
        var result = await peer.RequestAsync("enableConsumer", new { id = consumer, transportId = transport, paused = false, preferredProfile = "default" });
        Assert.True(result.Ok, result.ErrorReason);
        return result.Data!.Value;
    }

    public static IReadOnlyList<string> Methods(this TestPeer peer) =>
        [.. peer.Notifications.Select(n => n.GetProperty("method").GetString()!)];

    /// <summary>
    /// Activates the Room grain on <paramref name="silo"/> through the placement hint (its peers
    /// then follow it there). The hint is set inside this async method, so it does not leak.
    /// </summary>
    public static async Task PlaceRoomOn(IClusterClient client, string roomId, SiloAddress silo)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        await client.GetGrain<IRoomGrain>(roomId).Describe();
    }
}
