using System.Diagnostics;
using Xunit.Abstractions;

namespace Coordinator.Cluster.Tests;

/// <summary><see cref="SiloLossTests"/> on a cluster whose store is PostgreSQL.</summary>
public sealed class PostgreSqlSiloLossTests(ITestOutputHelper output) : SiloLossTests(output)
{
    protected override ClusterStore Store => ClusterStore.PostgreSql;
}

/// <summary>The store faults of <see cref="StoreOutageTests"/> on PostgreSQL, and what a lost database does.</summary>
public sealed class PostgreSqlStoreOutageTests(ITestOutputHelper output) : StoreOutageTests(output)
{
    protected override ClusterStore Store => ClusterStore.PostgreSql;

    [Fact]
    public async Task A_cluster_on_postgresql_serves_joins_through_both_gateways()
    {
        var started = Stopwatch.GetTimestamp();
        _cluster = await LocalCluster.StartAsync(store: ClusterStore.PostgreSql);
        Output.WriteLine($"PostgreSQL, 2 silos and 2 gateways started and ready in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
        await WaitForBothSilosInTheTableAsync();

        // Alice on gateway1 publishes, Bob on gateway2 receives her producer: streams work across gateways.
        var room = await BusyRoomAsync();
        await JoinFreshRoomAsync("gateway1", "on PostgreSQL");
        await JoinFreshRoomAsync("gateway2", "on PostgreSQL");
        await AssertUnharmedAsync(room);
    }

    /// <summary>
    /// A lost database (the server restarted on an empty data directory, its role and database made
    /// again, no tables). Nothing stops and the rooms and new joins go on, but no silo can write
    /// membership until the tables are back: nothing recreates them while the silos run (unlike
    /// Redis' <c>MembershipTableGuard</c>), so a silo lost meanwhile would not be declared dead.
    /// This states today's behaviour; docs/cluster-store.md has the consequences.
    /// </summary>
    [Fact]
    public async Task A_lost_database_stops_nothing_but_leaves_membership_unwritable()
    {
        _cluster = await LocalCluster.StartAsync(store: ClusterStore.PostgreSql);
        var room = await BusyRoomAsync();

        var lost = Stopwatch.GetTimestamp();
        Cluster.KillStore();
        await Cluster.Postgres.StartEmptyAsync();
        Output.WriteLine($"database lost; an empty one up after {Stopwatch.GetElapsedTime(lost).TotalMilliseconds:0} ms");
        await Task.Delay(TimeSpan.FromSeconds(15));
        await JoinFreshRoomAsync("gateway1", "15 s after the loss");
        await JoinFreshRoomAsync("gateway2", "15 s after the loss");
        Assert.All(Cluster.Silos.Values, silo => Assert.Contains("42P01", silo.Process.Output()));
        await AssertUnharmedAsync(room);
    }
}
