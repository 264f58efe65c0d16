using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Peers;

namespace Coordinator.Grains.Tests;

/// <summary>What a Peer keeps of its published items for a gateway that asks for them again.</summary>
public sealed class RecentItemsTests
{
    private static SessionStreamItem Item(long seq) => new() { SessionId = Guid.Empty, Seq = seq };

    [Fact]
    public void Items_from_a_kept_seq_come_back_in_order()
    {
        var recent = new RecentItems();
        foreach (var seq in Enumerable.Range(1, 5))
        {
            recent.Add(Item(seq));
        }

        Assert.Equal([3L, 4, 5], recent.From(3, lastSeq: 5)!.Select(item => item.Seq));
        Assert.Empty(recent.From(6, lastSeq: 5)!);
    }

    [Fact]
    public void Only_the_last_items_are_kept()
    {
        var recent = new RecentItems();
        var last = RecentItems.MaxCount + 10;
        foreach (var seq in Enumerable.Range(1, last))
        {
            recent.Add(Item(seq));
        }

        Assert.Null(recent.From(10, last)); // forgotten: the gateway must close the socket
        Assert.Equal(RecentItems.MaxCount, recent.From(11, last)!.Length);
    }

    [Fact]
    public void Only_the_last_bytes_are_kept_and_the_newest_item_always()
    {
        var recent = new RecentItems();
        var padding = new string('x', RecentItems.MaxBytes / 4);
        foreach (var seq in Enumerable.Range(1, 8))
        {
            recent.Add(Item(seq) with { Notification = JsonSerializer.SerializeToElement(new { method = "newConsumer", appData = padding }) });
        }

        Assert.Null(recent.From(5, lastSeq: 8));
        Assert.Equal([6L, 7, 8], recent.From(6, lastSeq: 8)!.Select(item => item.Seq)); // 4 items would exceed the bound

        recent.Add(Item(9) with { Notification = JsonSerializer.SerializeToElement(new { appData = new string('x', RecentItems.MaxBytes * 2) }) });
        Assert.Single(recent.From(9, lastSeq: 9)!);
    }

    [Fact]
    public void Recent_items_survive_forgetting_old_ones()
    {
        var recent = new RecentItems();
        recent.Add(Item(1));

        recent.ForgetOld();

        Assert.False(recent.IsEmpty);
        Assert.Single(recent.From(1, lastSeq: 1)!);
    }
}
