using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Coordinator.Grains.Peers;

/// <summary>
/// Numbers a session's notifications 1, 2, 3 … and publishes them, on the stream of the session's
/// gateway, strictly in that order: a publish
/// starts only after the previous one finished, because concurrent stream writes could reach the
/// queue out of order. Notifications that arrive while one is in flight go out together as the next
/// batch (one queue message instead of one each). A failed publish is retried for a while: in a
/// cluster the stream's queue may sit on a silo that just died, and it comes back elsewhere once
/// membership declares that silo dead. Only items that still fail are lost, which the gateway sees
/// as a gap. Runs on its grain's scheduler, like every caller.
/// <para>It keeps its recent items (<see cref="RecentItems"/>) after publishing them: a batch that a
/// dying silo's queue held is lost after its publish succeeded, and the gateway that sees the gap
/// asks for the items again (<see cref="From"/>) instead of closing the socket.</para>
/// </summary>
internal sealed class NotificationPublisher(IAsyncStream<SessionStreamItem> stream, Guid sessionId, ILogger logger)
{
    private readonly List<SessionStreamItem> _pending = [];
    private readonly RecentItems _recent = new();
    private Task _publishing = Task.CompletedTask;

    public long LastSeq { get; private set; }

    public void Publish(JsonElement notification) => Enqueue(new SessionStreamItem { SessionId = sessionId, Seq = ++LastSeq, Notification = notification });

    public void End(SessionEnd end) => Enqueue(new SessionStreamItem { SessionId = sessionId, Seq = ++LastSeq, End = end });

    /// <summary>Every item from <paramref name="fromSeq"/> on, in order; null when the first of them is no longer kept.</summary>
    public SessionStreamItem[]? From(long fromSeq) => _recent.From(fromSeq, LastSeq);

    /// <summary>Forgets the items kept longer than <see cref="RecentItems.MaxAge"/>; false when none is left.</summary>
    public bool ForgetOld()
    {
        _recent.ForgetOld();
        return !_recent.IsEmpty;
    }

    private void Enqueue(SessionStreamItem item)
    {
        _recent.Add(item);
        _pending.Add(item);
        if (_publishing.IsCompleted)
        {
            _publishing = PublishPendingAsync();
        }
    }

    private async Task PublishPendingAsync()
    {
        while (_pending.Count > 0)
        {
            var batch = _pending.ToArray();
            _pending.Clear();
            await PublishAsync(batch);
        }
    }

    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(15);

    private async Task PublishAsync(SessionStreamItem[] batch)
    {
        var started = DateTime.UtcNow;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                var publishedAt = DateTime.UtcNow.Ticks;
                if (batch.Length == 1)
                {
                    await stream.OnNextAsync(batch[0] with { PublishedAtTicks = publishedAt });
                }
                else
                {
                    await stream.OnNextBatchAsync(batch.Select(item => item with { PublishedAtTicks = publishedAt }).ToList());
                }

                return;
            }
            catch (Exception exception) when (DateTime.UtcNow - started < RetryBudget)
            {
                logger.LogWarning("Publishing notifications {First}–{Last} on {Stream} failed ({Reason}); retrying", batch[0].Seq, batch[^1].Seq, stream.StreamId, exception.Message);
            }
            catch (Exception exception)
            {
                // The gateway sees the resulting seq gap and makes the client resynchronise.
                logger.LogError(exception, "Publishing notifications {First}–{Last} on {Stream} failed for good", batch[0].Seq, batch[^1].Seq, stream.StreamId);
                return;
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }
}
