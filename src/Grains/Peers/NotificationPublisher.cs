using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Coordinator.Grains.Peers;

/// <summary>
/// Numbers a session's notifications 1, 2, 3 … and publishes them strictly in that order: each
/// publish starts only after the previous one finished, because concurrent stream writes could
/// reach the queue out of order. A failed publish is retried for a while: in a cluster the
/// stream's queue may sit on a silo that just died, and it comes back elsewhere once membership
/// declares that silo dead. Only an item that still fails is lost, which the gateway sees as a gap.
/// </summary>
internal sealed class NotificationPublisher(IAsyncStream<PeerStreamItem> stream, ILogger logger)
{
    private Task _tail = Task.CompletedTask;

    public long LastSeq { get; private set; }

    public void Publish(JsonElement notification) => Enqueue(new PeerStreamItem { Seq = ++LastSeq, Notification = notification });

    public void End(SessionEnd end) => Enqueue(new PeerStreamItem { Seq = ++LastSeq, End = end });

    private void Enqueue(PeerStreamItem item) => _tail = PublishAfter(_tail, item);

    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(15);

    private async Task PublishAfter(Task previous, PeerStreamItem item)
    {
        await previous;
        var started = DateTime.UtcNow;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await stream.OnNextAsync(item with { PublishedAtTicks = DateTime.UtcNow.Ticks });
                return;
            }
            catch (Exception exception) when (DateTime.UtcNow - started < RetryBudget)
            {
                logger.LogWarning("Publishing notification {Seq} on {Stream} failed ({Reason}); retrying", item.Seq, stream.StreamId, exception.Message);
            }
            catch (Exception exception)
            {
                // The gateway sees the resulting seq gap and makes the client resynchronise.
                logger.LogError(exception, "Publishing notification {Seq} on {Stream} failed for good", item.Seq, stream.StreamId);
                return;
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }
}
