using System.Text.Json;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Cluster.Tests;

/// <summary>Protocol steps the cluster scenarios share: join, publish audio, receive.</summary>
internal static class RoomPeers
{
    public static async Task<JsonElement> Ok(this Task<JsonElement> response)
    {
        var frame = await response;
        Assert.True(frame.TryGetProperty("ok", out var ok) && ok.GetBoolean(), frame.ToString());
        return frame.GetProperty("data");
    }

    public static async Task JoinAsync(this ProtooClient client)
    {
        await client.QueryRoomAsync().Ok();
        await client.JoinAsync(CapturedSession.JoinCapabilities).Ok();
    }

    /// <summary>A send transport and an audio producer, as Chromium creates them; returns the producer id.</summary>
    public static async Task<uint> PublishAudioAsync(this ProtooClient client)
    {
        var transport = Requests.NewId();
        await client.MediasoupAsync(Requests.SendTransport(transport)).Ok();
        var producer = Requests.NewId();
        await client.MediasoupAsync(Requests.Producer(producer, transport, "audio")).Ok();
        return producer;
    }

    /// <summary>A receive transport, so that consumers are enabled on it.</summary>
    public static async Task<uint> ReceiveAsync(this ProtooClient client)
    {
        var transport = Requests.NewId();
        await client.MediasoupAsync(Requests.RecvTransport(transport)).Ok();
        return transport;
    }

    public static Task<JsonElement> Closed(this ProtooClient client, string peerName) =>
        client.WaitForNotificationAsync("peerClosed", n => n.GetProperty("name").GetString() == peerName);
}
