using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Rooms;

/// <summary>
/// One open incarnation in its silo's <see cref="OpenRooms"/>. Its Room writes the counts after
/// each operation and listings read them from other threads, so they are plain integers written
/// and read atomically one by one: a listing may see one operation's counts half applied, never
/// a torn value, and it never enumerates the Room's own collections.
/// </summary>
internal sealed class OpenRoomEntry(string roomId, Guid incarnation, string silo, string worker, DateTimeOffset openedAt)
{
    private int _peers;
    private int _transports;
    private int _producers;
    private int _consumers;

    public string RoomId { get; } = roomId;

    public string Silo { get; } = silo;

    public string Worker { get; } = worker;

    public DateTimeOffset OpenedAt { get; } = openedAt;

    public void Update(int peers, int transports, int producers, int consumers)
    {
        Volatile.Write(ref _peers, peers);
        Volatile.Write(ref _transports, transports);
        Volatile.Write(ref _producers, producers);
        Volatile.Write(ref _consumers, consumers);
    }

    public RoomSummary Summary() => new(
        RoomId,
        incarnation,
        Silo,
        Worker,
        OpenedAt,
        Volatile.Read(ref _peers),
        Volatile.Read(ref _transports),
        Volatile.Read(ref _producers),
        Volatile.Read(ref _consumers));
}
