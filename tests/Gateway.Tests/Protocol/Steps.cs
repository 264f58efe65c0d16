using System.Text.Json;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests.Protocol;

/// <summary>Protocol steps over a <see cref="ProtooClient"/>, asserting success where success is the point.</summary>
internal static class Steps
{
    public static async Task<JsonElement> Ok(this Task<JsonElement> response)
    {
        var frame = await response;
        Assert.True(frame.TryGetProperty("ok", out var ok) && ok.GetBoolean(), frame.ToString());
        return frame.GetProperty("data");
    }

    public static async Task<string> Error(this Task<JsonElement> response)
    {
        var frame = await response;
        Assert.False(frame.TryGetProperty("ok", out _), $"expected an error, got {frame}");
        return frame.GetProperty("errorReason").GetString()!;
    }

    public static Task Notify(this ProtooClient client, object notification) => client.NotifyAsync("mediasoup-notification", notification);

    /// <summary>Sends a notification, then a request that is answered only after it was handled (messages of one socket are handled in order).</summary>
    public static async Task NotifyAndSettle(this ProtooClient client, object notification)
    {
        await client.Notify(notification);
        await client.QueryRoomAsync();
    }

    public static async Task<uint> CreateSendTransport(this ProtooClient client)
    {
        var id = Requests.NewId();
        await client.MediasoupAsync(Requests.SendTransport(id)).Ok();
        return id;
    }

    public static async Task<uint> CreateRecvTransport(this ProtooClient client)
    {
        var id = Requests.NewId();
        await client.MediasoupAsync(Requests.RecvTransport(id)).Ok();
        await client.Notify(Requests.UpdateTransport(id));
        return id;
    }

    public static async Task<uint> Produce(this ProtooClient client, uint transportId, string kind, bool paused = false)
    {
        var id = Requests.NewId();
        await client.MediasoupAsync(Requests.Producer(id, transportId, kind, paused)).Ok();
        return id;
    }

    /// <summary>
    /// Creates a send transport and a <paramref name="kind"/> producer on it, then waits until
    /// <paramref name="receiver"/> is told of its consumer; returns the producer's and that consumer's ids.
    /// </summary>
    public static async Task<(uint Producer, uint Consumer)> ProduceTo(this ProtooClient sender, ProtooClient receiver, string kind)
    {
        var producer = await sender.Produce(await sender.CreateSendTransport(), kind);
        var consumer = (await receiver.WaitForNotificationAsync("newConsumer")).GetProperty("id").GetUInt32();
        return (producer, consumer);
    }

    /// <summary>Waits for <paramref name="count"/> newConsumer notifications, then enables each of those consumers on <paramref name="transportId"/>.</summary>
    public static async Task EnableConsumers(this ProtooClient client, uint transportId, int count)
    {
        await client.WaitForNotificationsAsync("newConsumer", count);
        foreach (var consumer in client.Notifications("newConsumer"))
        {
            await client.MediasoupAsync(Requests.EnableConsumer(consumer.GetProperty("id").GetUInt32(), transportId)).Ok();
        }
    }

    /// <summary>Waits until <paramref name="client"/> has received <paramref name="count"/> notifications of <paramref name="method"/>.</summary>
    public static Task WaitForNotificationsAsync(this ProtooClient client, string method, int count) =>
        client.WaitForFramesAsync(f => ProtooClient.IsNotification(f) && f.GetProperty("data").GetProperty("method").GetString() == method, count);

    public static IReadOnlyList<JsonElement> Notifications(this ProtooClient client, string method) =>
        [.. client.Notifications.Where(n => n.GetProperty("method").GetString() == method)];

    public static IReadOnlyList<string> Methods(this ProtooClient client) =>
        [.. client.Notifications.Select(n => n.GetProperty("method").GetString()!)];
}
