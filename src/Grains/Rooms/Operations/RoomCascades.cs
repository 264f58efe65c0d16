using System.Text.Json;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Protocol.Messages;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary>
/// The close cascades of docs/protocol.md#cascades: what closing a peer, a transport or a producer takes with
/// it, and who is told. The media plane closes the same objects on its side.
/// </summary>
internal static class RoomCascades
{
    /// <summary>
    /// A transport closes (docs/protocol.md#cascades): its producers close without <c>producerClosed</c> (their
    /// consumers get <c>consumerClosed</c>), and consumers sending on it are disabled, not closed.
    /// </summary>
    public static async Task CloseTransportAsync(RoomOperation op, RoomTransport transport, bool notifyOwner, JsonElement? appData, bool closeInMedia = true)
    {
        var owner = transport.Owner;
        transport.Stats.Stop();
        owner.Transports.Remove(transport.Id);
        op.Room.Transports.Remove(transport.Id);
        if (notifyOwner)
        {
            op.Outbox.Notify(owner, ServerNotifications.TransportClosed(transport.Id, appData));
        }

        if (closeInMedia)
        {
            // The worker closes the producers on it (and their consumers) in the same request.
            await op.MediaQuietly(router => router.CloseTransportAsync(transport.Id), $"closing transport {transport.Id}");
        }

        foreach (var producer in owner.Producers.Where(producer => producer.Transport == transport).ToArray())
        {
            RemoveProducer(op, producer);
        }

        foreach (var consumer in owner.Consumers.Values.Where(consumer => consumer.Transport == transport))
        {
            consumer.Transport = null;
            consumer.Stats.Stop();
        }
    }

    /// <summary>A producer closes (docs/protocol.md#cascades) by the client or with its transport: each consumer closes.</summary>
    public static async Task CloseProducerAsync(RoomOperation op, RoomProducer producer)
    {
        await op.MediaQuietly(router => router.CloseProducerAsync(producer.Id), $"closing producer {producer.Id}");
        RemoveProducer(op, producer);
    }

    /// <summary>
    /// A peer closes (docs/protocol.md#cascades, after its <c>peerClosed</c> fan-out): its producers close without any
    /// <c>consumerClosed</c> (the others learnt from <c>peerClosed</c>), then its consumers and transports.
    /// </summary>
    public static async Task ClosePeerAsync(RoomOperation op, RoomMember member, bool closeInMedia)
    {
        member.Closed = true;
        foreach (var producer in member.Producers.ToArray())
        {
            if (closeInMedia)
            {
                await op.MediaQuietly(router => router.CloseProducerAsync(producer.Id), $"closing producer {producer.Id}");
            }

            RemoveProducer(op, producer);
        }

        foreach (var consumer in member.Consumers.Values.ToArray())
        {
            if (closeInMedia)
            {
                await op.MediaQuietly(router => router.CloseConsumerAsync(consumer.Id), $"closing consumer {consumer.Id}");
            }

            RemoveConsumer(op, consumer);
        }

        foreach (var transport in member.Transports.Values.ToArray())
        {
            await CloseTransportAsync(op, transport, notifyOwner: false, appData: null, closeInMedia);
        }
    }

    /// <summary>Removes a consumer from the state and tells its owner, unless the producing peer is closed.</summary>
    public static void CloseConsumer(RoomOperation op, RoomConsumer consumer)
    {
        RemoveConsumer(op, consumer);
        if (!consumer.Source.Owner.Closed)
        {
            op.Outbox.Notify(consumer.Owner, ServerNotifications.ConsumerClosed(consumer.Id, consumer.PeerName));
        }
    }

    private static void RemoveProducer(RoomOperation op, RoomProducer producer)
    {
        producer.Stats.Stop();
        producer.Owner.Producers.Remove(producer);
        op.Room.Producers.Remove(producer.Id);
        foreach (var consumer in producer.Consumers.ToArray())
        {
            CloseConsumer(op, consumer);
        }
    }

    private static void RemoveConsumer(RoomOperation op, RoomConsumer consumer)
    {
        consumer.Stats.Stop();
        consumer.Source.Consumers.Remove(consumer);
        consumer.Owner.Consumers.Remove(consumer.Id);
        op.Room.Consumers.Remove(consumer.Id);
    }
}
