using System.Diagnostics;
using System.Runtime.InteropServices;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Peers;

/// <summary>
/// A session's last notification items, kept so that the gateway can ask again for items that a
/// dead silo's queue swallowed. Bounded by count, size and age: a lost batch is noticed within
/// seconds of its silo's death (or of the next item), and a notification storm in a busy room must
/// not make every Peer hold megabytes (there, a loss still ends the socket).
/// Its owner calls <see cref="ForgetOld"/> now and then, so an idle session holds nothing for long.
/// </summary>
internal sealed class RecentItems
{
    /// <summary>How many items are kept at most (a room in a notification storm sends a peer hundreds a second).</summary>
    public const int MaxCount = 128;

    /// <summary>How many bytes of notifications are kept at most (the newest item is kept whatever its size).</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>How long an item is kept at least (unless the bounds above drop it first): longer than a silo takes to be declared dead.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private readonly Queue<(SessionStreamItem Item, int Bytes, long NumberedAt)> _items = new();
    private int _bytes;

    public bool IsEmpty => _items.Count == 0;

    public void Add(SessionStreamItem item)
    {
        var bytes = item.Notification is { } notification ? JsonMarshal.GetRawUtf8Value(notification).Length : 0;
        while (_items.Count > 0 && (_items.Count >= MaxCount || _bytes + bytes > MaxBytes))
        {
            Forget();
        }

        _items.Enqueue((item, bytes, Stopwatch.GetTimestamp()));
        _bytes += bytes;
    }

    private void Forget() => _bytes -= _items.Dequeue().Bytes;

    /// <summary>Drops the items older than <see cref="MaxAge"/>.</summary>
    public void ForgetOld()
    {
        var now = Stopwatch.GetTimestamp();
        while (_items.Count > 0 && Stopwatch.GetElapsedTime(_items.Peek().NumberedAt, now) > MaxAge)
        {
            Forget();
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
