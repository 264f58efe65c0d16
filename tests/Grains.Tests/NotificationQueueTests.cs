using Coordinator.Grains.Interfaces.Streams;

namespace Coordinator.Grains.Tests;

/// <summary>
/// A notification queue keeps a batch until its reader confirms delivery, so a reader that takes
/// the queue over (its pulling agent moved to another silo) reads again what the old one had not
/// handed on, and the old one reads nothing more.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NotificationQueueTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.FromMilliseconds(1);

    private readonly INotificationQueueGrain _queue = fixture.Client.GetGrain<INotificationQueueGrain>($"test/{Guid.NewGuid():N}");

    [Fact]
    public async Task A_new_reader_reads_again_what_the_old_one_read_but_did_not_confirm()
    {
        var (old, next) = (Guid.NewGuid(), Guid.NewGuid());
        await _queue.Attach(old);
        await _queue.Enqueue([Batch("a"), Batch("b"), Batch("c")]);

        var first = await _queue.Read(old, deliveredThrough: 0, maxCount: 2, NoWait, CancellationToken.None);
        Assert.Equal(["a", "b"], Names(first));

        // The old reader confirms "a" only, then its agent stops; the next one takes over.
        await _queue.Read(old, deliveredThrough: first.FirstPosition, maxCount: 0, NoWait, CancellationToken.None);
        Assert.Equal(1, await _queue.Attach(next));

        var again = await _queue.Read(next, deliveredThrough: 0, maxCount: 10, NoWait, CancellationToken.None);
        Assert.Equal(["b", "c"], Names(again));
        Assert.Equal(first.FirstPosition + 1, again.FirstPosition);

        await _queue.Enqueue([Batch("d")]);
        Assert.Empty((await _queue.Read(old, deliveredThrough: 0, maxCount: 10, NoWait, CancellationToken.None)).Batches);
        Assert.Equal(["d"], Names(await _queue.Read(next, deliveredThrough: again.FirstPosition + 1, maxCount: 10, NoWait, CancellationToken.None)));
    }

    [Fact]
    public async Task A_waiting_read_of_a_replaced_reader_returns_empty_at_once()
    {
        var (old, next) = (Guid.NewGuid(), Guid.NewGuid());
        await _queue.Attach(old);
        var waiting = _queue.Read(old, deliveredThrough: 0, maxCount: 10, TimeSpan.FromSeconds(30), CancellationToken.None);

        await _queue.Attach(next);
        await _queue.Enqueue([Batch("a")]);

        Assert.Empty((await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Batches);
        Assert.Equal(["a"], Names(await _queue.Read(next, deliveredThrough: 0, maxCount: 10, NoWait, CancellationToken.None)));
    }

    [Fact]
    public async Task Confirmed_batches_leave_the_queue_and_make_room()
    {
        var reader = Guid.NewGuid();
        await _queue.Attach(reader);
        var held = Enumerable.Range(0, 20_000).Select(i => Batch($"{i}")).ToArray();
        await _queue.Enqueue(held);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _queue.Enqueue([Batch("over")]));

        // Read but not confirmed still counts against the bound; confirmed does not.
        var read = await _queue.Read(reader, deliveredThrough: 0, maxCount: 20_000, NoWait, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _queue.Enqueue([Batch("over")]));
        await _queue.Read(reader, deliveredThrough: read.FirstPosition + 19_999, maxCount: 0, NoWait, CancellationToken.None);
        await _queue.Enqueue([Batch("fits")]);
    }

    [Fact]
    public async Task A_queue_without_a_reader_belongs_to_the_first_that_reads()
    {
        var reader = Guid.NewGuid();
        await _queue.Enqueue([Batch("a")]);
        Assert.Equal(["a"], Names(await _queue.Read(reader, deliveredThrough: 0, maxCount: 10, NoWait, CancellationToken.None)));
        Assert.Empty((await _queue.Read(Guid.NewGuid(), deliveredThrough: 0, maxCount: 10, NoWait, CancellationToken.None)).Batches);
    }

    private static QueuedBatch Batch(string name) => new(StreamId.Create("test", name), [name]);

    private static string[] Names(QueueRead read) => [.. read.Batches.Select(batch => (string)batch.Events[0])];
}
