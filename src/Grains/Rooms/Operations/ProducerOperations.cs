using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Protocol;
using Coordinator.Protocol.Messages;
using Coordinator.Protocol.Ortc;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary><c>createProducer</c>, <c>pauseProducer</c>, <c>resumeProducer</c>, <c>closeProducer</c> (docs/protocol.md#createproducer).</summary>
internal static class ProducerOperations
{
    /// <summary>Checks in the reference's order, then one consumer per other peer, each announced with <c>newConsumer</c>.</summary>
    public static async Task CreateAsync(RoomOperation op, RoomMember member, JsonElement request)
    {
        if (!member.Session.Grants.HasFlag(PeerGrants.Publish))
        {
            throw MediasoupError.Forbidden("creating producers needs the publish grant");
        }

        var kind = JsJson.StringProperty(request, "kind");
        if (kind is not ("audio" or "video" or "depth"))
        {
            throw MediasoupError.Type($"unsupported kind: {JsText.Of(JsJson.Value(JsJson.Property(request, "kind")))}");
        }

        if (member.Spy)
        {
            throw MediasoupError.Error("spy peers cannot create producers");
        }

        // A copy of its own: what ORTC keeps of it (the consumable parameters) must not keep the whole request alive.
        var rtpParametersElement = JsJson.Detach(JsJson.Property(request, "rtpParameters"));
        var rtpParameters = JsJson.Value(rtpParametersElement);
        ProducerRtpMapping mapping;
        JsonObject consumable;
        try
        {
            mapping = ProducerRtpMapping.Compute(rtpParameters, op.RoomCapabilities);
            consumable = ConsumableRtpParameters.Compute(rtpParameters, op.RoomCapabilities, mapping);
        }
        catch (MediasoupError error)
        {
            throw ProducerRtpMapping.WrongRtpParameters(error);
        }

        var transport = TransportOperations.Find(member, request, "transportId") ?? throw MediasoupError.Type("WebRtcTransport not found");
        LimitChecks.Count(member.Producers.Count, op.Limits.MaxProducersPerPeer, "producers for this peer");
        LimitChecks.AppData(JsJson.Property(request, "appData"), op.Limits);
        var id = ProtocolIds.ClientChosen(JsJson.Property(request, "id"), "producerId", op.Room.Producers.ContainsKey);
        var paused = JsJson.Truthy(JsJson.Property(request, "paused"));
        var mappingJson = JsJson.Freeze(mapping.ToWorkerJson());
        await op.Media(router => router.CreateProducerAsync(id, transport.Id, kind, rtpParametersElement!.Value, mappingJson, paused));

        var producer = new RoomProducer(id, kind, member, transport, consumable, JsJson.Property(request, "appData")) { RemotelyPaused = paused };
        member.Producers.Add(producer);
        op.Room.Producers[id] = producer;

        var consumers = await ConsumerOperations.CreateForAsync(op, producer, op.Room.Members.Where(other => other != member));
        foreach (var consumer in consumers)
        {
            op.Outbox.Notify(consumer.Owner, ServerNotifications.NewConsumer(consumer.Describe()));
        }
    }

    public static Task PauseAsync(RoomOperation op, RoomMember member, JsonElement notification)
    {
        var producer = Find(member, notification) ?? throw MediasoupError.Error("Producer not found");
        return producer.RemotelyPaused ? Task.CompletedTask : SetRemotelyPausedAsync(op, producer, paused: true);
    }

    public static Task ResumeAsync(RoomOperation op, RoomMember member, JsonElement notification)
    {
        var producer = Find(member, notification) ?? throw MediasoupError.Error("Producer not found");
        return producer.RemotelyPaused ? SetRemotelyPausedAsync(op, producer, paused: false) : Task.CompletedTask;
    }

    /// <summary><c>closeProducer</c>: an unknown id is ignored silently (the client sends these after <c>closeTransport</c>).</summary>
    public static Task CloseAsync(RoomOperation op, RoomMember member, JsonElement notification) =>
        Find(member, notification) is { } producer ? RoomCascades.CloseProducerAsync(op, producer) : Task.CompletedTask;

    public static RoomProducer? Find(RoomMember member, JsonElement message) =>
        ProtocolIds.TryRead(JsJson.Property(message, "id"), out var id)
            ? member.Producers.Find(producer => producer.Id == id)
            : null;

    /// <summary>
    /// A pause flag changed. The media plane hears of every flag change except a resume while the
    /// other flag still holds; consumers are told only when the effective state flips (docs/protocol.md#pausing).
    /// </summary>
    private static async Task SetRemotelyPausedAsync(RoomOperation op, RoomProducer producer, bool paused)
    {
        var wasPaused = producer.Paused;
        producer.RemotelyPaused = paused;
        if (paused)
        {
            await op.Media(router => router.PauseProducerAsync(producer.Id));
        }
        else if (!producer.LocallyPaused)
        {
            await op.Media(router => router.ResumeProducerAsync(producer.Id));
        }

        if (producer.Paused != wasPaused)
        {
            ConsumerOperations.SourcePausedChanged(op, producer);
        }
    }
}
