using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Protocol;
using Coordinator.Protocol.Messages;
using Coordinator.Protocol.Ortc;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary>Consumer creation (docs/protocol.md#state), <c>enableConsumer</c>, pause/resume and preferred profile (docs/protocol.md#enableconsumer).</summary>
internal static class ConsumerOperations
{
    /// <summary>
    /// Creates one consumer of <paramref name="producer"/> for each recipient allowed to subscribe,
    /// in order. The worker requests are pipelined; a recipient whose capabilities cannot take the
    /// producer still gets a consumer, with no codecs (the client then reports it unsupported).
    /// </summary>
    public static async Task<IReadOnlyList<RoomConsumer>> CreateForAsync(RoomOperation op, RoomProducer producer, IEnumerable<RoomMember> recipients)
    {
        var consumers = recipients
            .Where(recipient => recipient.Session.Grants.HasFlag(PeerGrants.Subscribe))
            .Select(recipient => Register(op, producer, recipient))
            .ToList();
        await CreateInMediaAsync(op, consumers);
        return consumers;
    }

    /// <summary>
    /// A joining peer's consumers: every other peer's producers, in Room order then creation order
    /// (docs/protocol.md#join step 6). All are registered first and their worker requests pipelined, so a join into a
    /// large room waits for one worker round trip, not one per producer.
    /// </summary>
    public static async Task CreateForJoinerAsync(RoomOperation op, RoomMember joiner)
    {
        if (!joiner.Session.Grants.HasFlag(PeerGrants.Subscribe))
        {
            return;
        }

        var consumers = op.Room.Members
            .Where(other => other != joiner)
            .SelectMany(other => other.Producers)
            .Select(producer => Register(op, producer, joiner))
            .ToList();
        await CreateInMediaAsync(op, consumers);
    }

    public static async Task<JsonElement> EnableAsync(RoomOperation op, RoomMember member, JsonElement request)
    {
        var consumer = Find(member, request) ?? throw MediasoupError.Error("Consumer not found");
        var transport = TransportOperations.Find(member, request, "transportId") ?? throw MediasoupError.Type("Transport not found");
        if (consumer.Enabled)
        {
            throw MediasoupError.InvalidState("Consumer already enabled");
        }

        if (JsJson.Truthy(JsJson.Property(request, "paused")) && !consumer.RemotelyPaused)
        {
            consumer.RemotelyPaused = true;
            await op.Media(router => router.PauseConsumerAsync(consumer.Id));
        }

        if (JsJson.Property(request, "preferredProfile") is { } profile && JsJson.Truthy(profile))
        {
            await SetPreferredProfileAsync(op, consumer, profile);
        }

        await op.Media(router => router.EnableConsumerAsync(consumer.Id, transport.Id, consumer.RtpParameters));
        consumer.Transport = transport;
        return Responses.EnableConsumer(consumer.Describe());
    }

    public static async Task PauseAsync(RoomOperation op, RoomMember member, JsonElement notification)
    {
        var consumer = Find(member, notification) ?? throw MediasoupError.Error("Consumer not found");
        if (!consumer.RemotelyPaused)
        {
            consumer.RemotelyPaused = true;
            await op.Media(router => router.PauseConsumerAsync(consumer.Id));
        }
    }

    public static async Task ResumeAsync(RoomOperation op, RoomMember member, JsonElement notification)
    {
        var consumer = Find(member, notification) ?? throw MediasoupError.Error("Consumer not found");
        if (consumer.RemotelyPaused)
        {
            consumer.RemotelyPaused = false;
            if (!consumer.LocallyPaused)
            {
                await op.Media(router => router.ResumeConsumerAsync(consumer.Id));
            }
        }
    }

    /// <summary><c>setConsumerPreferredProfile</c>: no notification results (docs/protocol.md#setconsumerpreferredprofile).</summary>
    public static async Task SetPreferredProfileAsync(RoomOperation op, RoomMember member, JsonElement notification)
    {
        var consumer = Find(member, notification) ?? throw MediasoupError.Error("Consumer not found");
        await SetPreferredProfileAsync(op, consumer, JsJson.Property(notification, "profile") ?? default);
    }

    /// <summary>
    /// The producer's effective paused state flipped: every consumer mirrors it, and the enabled
    /// ones that their owner has not locally paused are told (remotelyPaused is not considered, docs/protocol.md#pausing).
    /// </summary>
    public static void SourcePausedChanged(RoomOperation op, RoomProducer producer)
    {
        foreach (var consumer in producer.Consumers)
        {
            consumer.SourcePaused = producer.Paused;
            if (consumer.Enabled && !consumer.LocallyPaused)
            {
                op.Outbox.Notify(consumer.Owner, producer.Paused
                    ? ServerNotifications.ConsumerPaused(consumer.Id, consumer.PeerName)
                    : ServerNotifications.ConsumerResumed(consumer.Id, consumer.PeerName));
            }
        }
    }

    /// <summary>The media plane switched the profile it forwards; only enabled consumers hear of it, once per value.</summary>
    public static void EffectiveProfileChanged(RoomOperation op, RoomConsumer consumer, string profile)
    {
        if (consumer.Enabled && consumer.EffectiveProfile != profile)
        {
            consumer.EffectiveProfile = profile;
            op.Outbox.Notify(consumer.Owner, ServerNotifications.ConsumerEffectiveProfileChanged(consumer.Id, consumer.PeerName, profile));
        }
    }

    private static RoomConsumer Register(RoomOperation op, RoomProducer producer, RoomMember recipient)
    {
        var id = ProtocolIds.Random(op.Room.Consumers.ContainsKey);
        var rtpParameters = producer.ConsumerRtpParametersFor(recipient.RtpCapabilities);
        var consumer = new RoomConsumer(id, recipient, producer, rtpParameters) { SourcePaused = producer.Paused };
        recipient.Consumers[id] = consumer;
        op.Room.Consumers[id] = consumer;
        producer.Consumers.Add(consumer);
        return consumer;
    }

    /// <summary>Sends every consumer's worker request before awaiting any; all have settled when this returns or throws.</summary>
    private static Task CreateInMediaAsync(RoomOperation op, IEnumerable<RoomConsumer> consumers) =>
        Task.WhenAll(consumers.Select(consumer =>
            op.Media(router => router.CreateConsumerAsync(consumer.Id, consumer.Source.Id, consumer.Source.Kind))));

    public static RoomConsumer? Find(RoomMember member, JsonElement message) =>
        ProtocolIds.TryRead(JsJson.Property(message, "id"), out var id) && member.Consumers.TryGetValue(id, out var consumer)
            ? consumer
            : null;

    /// <summary>Forwards a different profile to the media plane; a rejection is logged and the value kept (docs/protocol.md#enableconsumer step 7).</summary>
    private static async Task SetPreferredProfileAsync(RoomOperation op, RoomConsumer consumer, JsonElement profile)
    {
        var text = profile.ValueKind switch
        {
            JsonValueKind.String => profile.GetString()!,
            JsonValueKind.Undefined => "undefined",
            _ => profile.GetRawText(),
        };
        if (text == consumer.PreferredProfile)
        {
            return;
        }

        try
        {
            await op.Media(router => router.SetConsumerPreferredProfileAsync(consumer.Id, text));
            consumer.PreferredProfile = text;
        }
        catch (MediasoupError error)
        {
            op.Logger.LogWarning("Preferred profile {Profile} of consumer {Consumer} refused: {Reason}", text, consumer.Id, error.Reason);
        }
    }
}
