using System.Text.Json;
using Coordinator.Grains.Rooms.Model;

namespace Coordinator.Grains.Rooms;

/// <summary>
/// What one Room operation has to tell its peers, in order. The grain hands it over when the
/// operation's state changes are done; each recipient receives its items in the order they were
/// added. Closed peers receive nothing (docs/protocol.md#errors).
/// </summary>
internal sealed class Outbox
{
    private readonly List<(RoomMember Recipient, OutboxItem Item)> _items = [];

    public bool IsEmpty => _items.Count == 0;

    public void Notify(RoomMember recipient, JsonElement notification)
    {
        if (!recipient.Closed)
        {
            _items.Add((recipient, new OutboxItem.Notification(notification)));
        }
    }

    /// <summary>Server-side close of a peer: <c>closed</c>, then its socket ends.</summary>
    public void CloseByServer(RoomMember recipient, JsonElement? appData, string reason)
    {
        if (!recipient.Closed)
        {
            _items.Add((recipient, new OutboxItem.Close(appData, reason)));
        }
    }

    /// <summary>Takes every item out, grouped by recipient, each group in order.</summary>
    public IReadOnlyList<(RoomMember Recipient, IReadOnlyList<OutboxItem> Items)> Drain()
    {
        var grouped = _items
            .GroupBy(entry => entry.Recipient)
            .Select(group => (group.Key, (IReadOnlyList<OutboxItem>)[.. group.Select(entry => entry.Item)]))
            .ToArray();
        _items.Clear();
        return grouped;
    }
}

internal abstract record OutboxItem
{
    public sealed record Notification(JsonElement Json) : OutboxItem;

    public sealed record Close(JsonElement? AppData, string Reason) : OutboxItem;
}
