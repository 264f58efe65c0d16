using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Coordinator.Grains.Peers;

/// <summary>
/// Numbers a session's notifications 1, 2, 3 … and publishes them strictly in that order: each
/// publish starts only after the previous one finished, because concurrent stream writes could
/// reach the queue out of order.
/// </summary>
internal sealed class NotificationPublisher(IAsyncStream<PeerStreamItem> stream, ILogger logger)
{
    private Task _tail = Task.CompletedTask;

    public long LastSeq { get; private set; }

    public void Publish(JsonElement notification) => Enqueue(new PeerStreamItem { Seq = ++LastSeq, Notification = notification });

    public void End(SessionEnd end) => Enqueue(new PeerStreamItem { Seq = ++LastSeq, End = end });

    private void Enqueue(PeerStreamItem item) => _tail = PublishAfter(_tail, item);

    private async Task PublishAfter(Task previous, PeerStreamItem item)
    {
        await previous;
        try
        {
            await stream.OnNextAsync(item);
        }
        catch (Exception exception)
        {
            // The gateway sees the resulting seq gap and makes the client resynchronise.
            logger.LogError(exception, "Publishing notification {Seq} on {Stream} failed", item.Seq, stream.StreamId);
        }
    }
}
