using System.Text.Json;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Protocol.Messages;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary>Dispatches a joined peer's mediasoup requests and notifications (docs/protocol.md#client-messages) to their operations.</summary>
internal static class PeerMessages
{
    /// <summary>The response data, or null for an empty response (<c>createProducer</c>).</summary>
    public static async Task<JsonElement?> RequestAsync(RoomOperation op, RoomMember member, string method, JsonElement request)
    {
        switch (method)
        {
            case "createTransport":
                return await TransportOperations.CreateAsync(op, member, request);
            case "restartTransport":
                return await TransportOperations.RestartAsync(op, member, request);
            case "createProducer":
                await ProducerOperations.CreateAsync(op, member, request);
                return null;
            case "enableConsumer":
                return await ConsumerOperations.EnableAsync(op, member, request);
            default:
                throw MessageValidation.UnknownRequestMethod(method);
        }
    }

    /// <summary>Handles a notification; failures are thrown for the caller to log (never answered).</summary>
    public static Task NotifyAsync(RoomOperation op, RoomMember member, string method, JsonElement notification)
    {
        switch (method)
        {
            case "updateTransport":
                return TransportOperations.UpdateAsync(op, member, notification);
            case "closeTransport":
                return TransportOperations.CloseAsync(op, member, notification);
            case "enableTransportStats":
                return StatsOperations.EnableTransportAsync(op, member, notification);
            case "disableTransportStats":
                StatsOperations.DisableTransport(member, notification);
                return Task.CompletedTask;
            case "pauseProducer":
                return ProducerOperations.PauseAsync(op, member, notification);
            case "resumeProducer":
                return ProducerOperations.ResumeAsync(op, member, notification);
            case "closeProducer":
                return ProducerOperations.CloseAsync(op, member, notification);
            case "enableProducerStats":
                return StatsOperations.EnableProducerAsync(op, member, notification);
            case "disableProducerStats":
                StatsOperations.DisableProducer(member, notification);
                return Task.CompletedTask;
            case "pauseConsumer":
                return ConsumerOperations.PauseAsync(op, member, notification);
            case "resumeConsumer":
                return ConsumerOperations.ResumeAsync(op, member, notification);
            case "setConsumerPreferredProfile":
                return ConsumerOperations.SetPreferredProfileAsync(op, member, notification);
            case "enableConsumerStats":
                return StatsOperations.EnableConsumerAsync(op, member, notification);
            case "disableConsumerStats":
                StatsOperations.DisableConsumer(member, notification);
                return Task.CompletedTask;
            default:
                // Includes updateProducer, which server 2.6 no longer handles (docs/protocol.md#updateproducer).
                throw MessageValidation.UnknownNotificationMethod(method);
        }
    }
}
