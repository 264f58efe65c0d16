using Coordinator.Gateway.Connections;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Gateway.Tests.Cluster;

/// <summary>When a join waits for the cluster's lease to hold its session, and when it need not.</summary>
public sealed class UnreportedSessionsTests
{
    private static PeerSession NewSession() =>
        new("room", $"peer-{Guid.NewGuid():N}", Guid.NewGuid(), PeerGrants.All, GrainKeys.NotificationStream("gateway", 0));

    [Fact]
    public async Task Where_rooms_outlive_the_gateway_a_session_waits_until_the_lease_holds_it()
    {
        var unreported = new UnreportedSessions(roomsOutliveGateway: true);
        var (first, second) = (NewSession(), NewSession());
        unreported.Opened(first);
        unreported.Opened(second);

        var waiting = unreported.Reported(first);
        Assert.True(unreported.ReportEarly);
        Assert.False(waiting.IsCompleted);
        unreported.Release([first]);

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(unreported.Reported(second).IsCompleted);
    }

    [Fact]
    public void In_a_cluster_of_one_process_no_session_waits_or_hurries_the_lease()
    {
        var unreported = new UnreportedSessions(roomsOutliveGateway: false);
        var session = NewSession();
        unreported.Opened(session);

        Assert.True(unreported.Reported(session).IsCompletedSuccessfully);
        Assert.False(unreported.ReportEarly);
    }
}
