using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests.Protocol;

/// <summary>A node whose pulling agents forget a quiet stream after one second.</summary>
public sealed class QuietStreamNode : EmbeddedNode
{
    public static readonly TimeSpan InactivityPeriod = TimeSpan.FromSeconds(1);

    protected override IEnumerable<string> Settings => [$"--Streams:StreamInactivityPeriod={InactivityPeriod:c}"];
}

/// <summary>
/// A pulling agent forgets a stream that carried nothing for <c>Streams:StreamInactivityPeriod</c>; an
/// idle peer's session must still get its next notification, numbered on from the last.
/// </summary>
public sealed class QuietStreamTests(QuietStreamNode node) : IClassFixture<QuietStreamNode>
{
    [Fact]
    public async Task A_peer_idle_past_the_inactivity_period_still_gets_its_next_notifications_in_order()
    {
        var room = $"room-{Guid.NewGuid():N}";
        await using var joined = await node.JoinedPeersAsync(room, "alice", "bob");
        var (alice, bob) = joined;
        await alice.WaitForNotificationAsync("newPeer");

        // The quiet time is the scenario: the agent checks every tenth of the period.
        await Task.Delay(QuietStreamNode.InactivityPeriod * 3);
        await using var carol = await node.JoinedPeerAsync(room, "carol");
        await alice.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "carol");
        await bob.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "carol");

        var seqs = alice.Frames.Where(ProtooClient.IsNotification).Select(f => f.GetProperty("seq").GetInt32());
        Assert.Equal([1, 2], seqs);
        Assert.Equal(["newPeer", "newPeer"], alice.Methods());
    }
}
