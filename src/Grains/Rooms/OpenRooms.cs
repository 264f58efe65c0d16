using System.Collections.Concurrent;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Rooms;

/// <summary>
/// The room incarnations open on this silo: their count, to keep within
/// <see cref="RoomLimits.MaxRoomsPerSilo"/>, and their entries, which <see cref="SiloRoomsGrain"/>
/// lists for the admin API without calling (or waiting on) any Room.
/// </summary>
public sealed class OpenRooms
{
    private readonly ConcurrentDictionary<string, OpenRoomEntry> _entries = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes a place if one is free.</summary>
    public bool TryOpen(int limit)
    {
        while (true)
        {
            var count = Volatile.Read(ref _count);
            if (count >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _count, count + 1, count) == count)
            {
                return true;
            }
        }
    }

    public void Closed() => Interlocked.Decrement(ref _count);

    /// <summary>An incarnation opened (its router exists): it is listed from now on.</summary>
    internal void Listed(OpenRoomEntry entry) => _entries[entry.RoomId] = entry;

    /// <summary>An incarnation closed; a newer incarnation's entry for the same room id is kept.</summary>
    internal void Unlisted(OpenRoomEntry entry) => _entries.TryRemove(KeyValuePair.Create(entry.RoomId, entry));

    /// <summary>Every listed room as it was after its last completed operation.</summary>
    public IReadOnlyList<RoomSummary> Summaries() => [.. _entries.Values.Select(entry => entry.Summary())];
}
