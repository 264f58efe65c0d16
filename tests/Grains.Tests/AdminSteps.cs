using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Orleans.Runtime.Placement;

namespace Coordinator.Grains.Tests;

/// <summary>Protocol steps and room placement for the admin tests.</summary>
internal static class AdminSteps
{
    private static uint _nextId = (uint)Random.Shared.Next(10_000_000, 90_000_000);

    public static uint NextId() => Interlocked.Increment(ref _nextId);

    public static async Task<uint> CreateTransport(this TestPeer peer)
    {
        var id = NextId();
        var result = await peer.RequestAsync("createTransport", new { id, direction = "send", options = new { } });
        Assert.True(result.Ok, result.ErrorReason);
        return id;
    }

    /// <summary>The captured Chromium audio producer with its own ssrc (several may share a transport).</summary>
    public static async Task<uint> Produce(this TestPeer peer, uint transport, bool paused = false)
    {
        var id = NextId();
        var request = JsonNode.Parse(CapturedSession.SentAll("alice", "createProducer")[0].GetRawText())!.AsObject();
        request["id"] = id;
        request["transportId"] = transport;
        request["paused"] = paused;
        request["rtpParameters"]!["encodings"]![0]!["ssrc"] = id;
        request["rtpParameters"]!.AsObject().Remove("muxId");
        var result = await peer.Grain.Request(peer.Session, JsonSerializer.SerializeToElement(request));
        Assert.True(result.Ok, result.ErrorReason);
        return id;
    }

    public static async Task Enable(this TestPeer peer, uint consumer, uint transport)
    {
        var result = await peer.RequestAsync("enableConsumer", new { id = consumer, transportId = transport, paused = false, preferredProfile = "default" });
        Assert.True(result.Ok, result.ErrorReason);
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
