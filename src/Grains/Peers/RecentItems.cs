using System.Diagnostics;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Peers;

/// <summary>
/// A session's last notification items, kept so that the gateway can ask again for items that a
/// dead silo's queue swallowed. Bounded by count and by age: a lost batch is noticed within seconds
/// of its silo's death (or of the next item), and a busy room must not make a Peer hold megabytes.
/// Its owner calls <see cref="ForgetOld"/> now and then, so an idle session holds nothing for long.
/// </summary>
internal sealed class RecentItems
{
    /// <summary>How many items are kept at most (a room in a notification storm sends a peer hundreds a second).</summary>
    public const int MaxCount = 128;

    /// <summary>How long an item is kept at least (unless <see cref="MaxCount"/> newer ones follow): longer than a silo takes to be declared dead.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private readonly Queue<(SessionStreamItem Item, long NumberedAt)> _items = new();

    public bool IsEmpty => _items.Count == 0;

    public void Add(SessionStreamItem item)
    {
        while (_items.Count >= MaxCount)
        {
            _items.Dequeue();
        }

        _items.Enqueue((item, Stopwatch.GetTimestamp()));
    }

    /// <summary>Drops the items older than <see cref="MaxAge"/>.</summary>
    public void ForgetOld()
    {
        var now = Stopwatch.GetTimestamp();
        while (_items.Count > 0 && Stopwatch.GetElapsedTime(_items.Peek().NumberedAt, now) > MaxAge)
        {
            _items.Dequeue();
        }
    }

    /// <summary>
    /// Every kept item from <paramref name="fromSeq"/> through <paramref name="lastSeq"/> (empty when
    /// <paramref name="fromSeq"/> is past it); null when some of them are no longer kept.
    /// </summary>
    public SessionStreamItem[]? From(long fromSeq, long lastSeq)
    {
        if (fromSeq > lastSeq)
        {
            return [];
        }

        if (fromSeq < 1 || _items.Count == 0 || _items.Peek().Item.Seq > fromSeq)
        {
            return null;
        }

        return _items.Select(entry => entry.Item).Where(item => item.Seq >= fromSeq).ToArray();
    }
}
