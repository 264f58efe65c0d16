namespace Coordinator.Grains.Rooms;

/// <summary>Counts the room incarnations open on this silo, to keep within <see cref="RoomLimits.MaxRoomsPerSilo"/>.</summary>
public sealed class OpenRooms
{
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
}
