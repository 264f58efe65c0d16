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
}
