using System.Diagnostics;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;
using Xunit.Abstractions;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// The membership store (Redis) stalls or restarts under a running cluster whose rooms carry
/// traffic. Nothing stops: no silo or gateway exits, no socket closes, no request of a running
/// room fails, new joins work during the stall and after the restart, and a restart that lost the
/// membership table has it written back by the silos themselves.
/// </summary>
public sealed class MembershipStoreOutageTests(ITestOutputHelper output) : StoreOutageTests(output)
{
    protected override ClusterStore Store => ClusterStore.Redis;

    [Fact]
    public async Task A_store_restarted_empty_gets_the_membership_table_back_and_no_room_closes()
    {
        _cluster = await LocalCluster.StartAsync();
        var room = await BusyRoomAsync();

        // Each silo's copy of the table must hold both silos first: a silo that joined after every copy
        // was taken is missing from what is written back, and Orleans then stops it as dead (its
        // supervisor would restart it; here nothing may stop). Copies are taken every 2 s.
        await Eventually.True(
            () => Cluster.Silos.Values.All(silo => silo.Process.Output().Contains("Membership table copy now holds 2 rows")),
            TimeSpan.FromSeconds(20),
            "both silos' copies of the membership table to hold both silos");

        var wiped = Stopwatch.GetTimestamp();
        Cluster.Redis.KillHard();
        await Cluster.StartRedisAsync();
        // The silos' own view of the table outlives the wipe (Orleans keeps the newer version it read),
        // so the write-back is what shows the table came back, then the view that both silos are in it.
        await Eventually.True(
            () => Cluster.Silos.Values.Any(silo => silo.Process.Output().Contains("rows written back")),
            TimeSpan.FromSeconds(20),
            "a silo to write its copy of the membership table back");
        await WaitForBothSilosInTheTableAsync();
        Output.WriteLine($"Redis restarted empty -> both silos back in the membership table after {Stopwatch.GetElapsedTime(wiped).TotalMilliseconds:0} ms");

        await JoinFreshRoomAsync("gateway1", "after the restart");
        await JoinFreshRoomAsync("gateway2", "after the restart");
        Output.WriteLine($"Redis restarted empty -> joins through both gateways work {Stopwatch.GetElapsedTime(wiped).TotalMilliseconds:0} ms after the restart");
        await AssertUnharmedAsync(room);
    }
}

/// <summary>
/// The faults every cluster store must ride out, run on each store (<see cref="MembershipStoreOutageTests"/>
/// for Redis, <see cref="PostgreSqlStoreOutageTests"/>): the store frozen, and down then restarted with its data.
/// </summary>
public abstract class StoreOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>How long the store stalls or stays down; COORDINATOR_TEST_STORE_OUTAGE_SECONDS runs the longer outages by hand (e.g. 60).</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("COORDINATOR_TEST_STORE_OUTAGE_SECONDS"), out var seconds) ? seconds : 12);

    /// <summary>Silos look at their table every 2 s and write it back after two misses; Orleans rereads it every 2 s.</summary>
    private static readonly TimeSpan HealBound = TimeSpan.FromSeconds(20);

    private protected LocalCluster? _cluster;

    protected abstract ClusterStore Store { get; }

    protected ITestOutputHelper Output => output;

    private protected LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("no cluster yet");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_frozen_store_stops_nothing_and_new_joins_work_meanwhile()
    {
        _cluster = await LocalCluster.StartAsync(store: Store);
        var room = await BusyRoomAsync();

        Cluster.FreezeStore();
        var frozen = Stopwatch.GetTimestamp();
        try
        {
            await ServesThroughoutAsync(room, frozen, "the freeze");
        }
        finally
        {
            Cluster.ThawStore();
        }

        output.WriteLine($"{Store} frozen {Stopwatch.GetElapsedTime(frozen).TotalSeconds:0.0} s: the room's traffic went on ({room.Traffic.Completed} requests in all)");
        await AssertUnharmedAsync(room);
    }

    [Fact]
    public async Task A_store_down_and_restarted_with_its_data_stops_nothing()
    {
        _cluster = await LocalCluster.StartAsync(persistentRedis: true, store: Store);
        var room = await BusyRoomAsync();

        var down = Stopwatch.GetTimestamp();
        Cluster.KillStore();
        await ServesThroughoutAsync(room, down, "the store being down");
        var restarted = Stopwatch.GetTimestamp();
        await Cluster.RestartStoreAsync();
        await WaitForBothSilosInTheTableAsync();
        await JoinFreshRoomAsync("gateway1", "after the restart");
        output.WriteLine($"{Store} down {Stopwatch.GetElapsedTime(down, restarted).TotalSeconds:0.0} s, restarted with its data -> table readable and a join works {Stopwatch.GetElapsedTime(restarted).TotalMilliseconds:0} ms after the restart");
        await AssertUnharmedAsync(room);
    }

    /// <summary>Until <see cref="Outage"/> has passed since <paramref name="since"/>: the room's traffic goes on, a fresh room opens, the gateways stay ready.</summary>
    private async Task ServesThroughoutAsync(BusyRoom room, long since, string what)
    {
        // Placement and the grain directory live in the silos, so a join does not need the store.
        await JoinFreshRoomAsync("gateway2", $"during {what}");
        await room.Traffic.WaitForProgressAsync(room.Traffic.Completed + 10);
        await Eventually.True(() => Stopwatch.GetElapsedTime(since) >= Outage, Outage + TimeSpan.FromSeconds(5), $"{what} to last {Outage.TotalSeconds} s");
        await JoinFreshRoomAsync("gateway1", $"at the end of {what}");
        await AssertGatewaysReadyAsync($"at the end of {what}");
    }

    /// <summary>Alice on gateway1 publishes, Bob on gateway2 receives, and Alice's traffic loop runs.</summary>
    private protected async Task<BusyRoom> BusyRoomAsync()
    {
        var id = $"outage-{Guid.NewGuid():N}";
        var alice = await Cluster.ConnectAsync("gateway1", id, "alice");
        var bob = await Cluster.ConnectAsync("gateway2", id, "bob");
        await alice.JoinAsync();
        await bob.JoinAsync();
        var producer = await alice.PublishAudioAsync();
        await bob.WaitForNotificationAsync("newConsumer");
        var room = new BusyRoom(id, [alice, bob], new Traffic(alice, producer));
        room.Traffic.Start();
        await room.Traffic.WaitForProgressAsync();
        return room;
    }

    private protected async Task JoinFreshRoomAsync(string gateway, string when)
    {
        var started = Stopwatch.GetTimestamp();
        await using var carol = await Cluster.ConnectAsync(gateway, $"fresh-{Guid.NewGuid():N}", "carol");
        await carol.JoinAsync();
        output.WriteLine($"a join through {gateway} {when}: {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
    }

    /// <summary>The cluster's own client reads the membership table (the management grain refreshes it) and finds both silos active.</summary>
    private protected async Task WaitForBothSilosInTheTableAsync()
    {
        var lastLook = "no answer yet";
        try
        {
            await Eventually.True(
                async () =>
                {
                    try
                    {
                        var hosts = await Cluster.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                        lastLook = $"{hosts.Count} active: {string.Join(", ", hosts.Keys)}";
                        return hosts.Count == 2;
                    }
                    catch (Exception exception)
                    {
                        lastLook = $"{exception.GetType().Name}: {exception.Message}";
                        return false;
                    }
                },
                HealBound,
                "both silos active in the membership table");
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message} (last look: {lastLook})\n{Cluster.Logs()}", timeout);
        }
    }

    private async Task AssertGatewaysReadyAsync(string when)
    {
        foreach (var (name, (process, port)) in Cluster.Gateways)
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var ready = await http.GetAsync("/health/ready");
            Assert.True(ready.IsSuccessStatusCode, $"{name} /health/ready {when}: {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}\n{Cluster.Logs()}");
        }
    }

    /// <summary>Every process still runs, the room's traffic had no failure and goes on, no socket closed.</summary>
    private protected async Task AssertUnharmedAsync(BusyRoom room)
    {
        var completed = room.Traffic.Completed;
        await room.Traffic.WaitForProgressAsync(completed + 5);
        await room.Traffic.StopAsync();
        var processes = Cluster.Silos.Select(silo => silo.Value.Process).Concat(Cluster.Gateways.Select(gateway => gateway.Value.Process));
        foreach (var process in processes)
        {
            Assert.False(process.HasExited, $"{process.Name} exited\n{Cluster.Logs()}");
        }

        Assert.True(room.Traffic.Failures.Count == 0, $"{room.Traffic.Failures.Count} requests failed: {string.Join("\n", room.Traffic.Failures.Take(3))}");
        Assert.All(room.Clients, client => Assert.Null(client.CloseStatus));
        await AssertGatewaysReadyAsync("afterwards");
        output.WriteLine($"{room.Id}: {room.Traffic.Completed} requests, none failed, longest {room.Traffic.LongestRequest.TotalMilliseconds:0} ms; no socket closed, every process running");
        foreach (var client in room.Clients)
        {
            await client.DisposeAsync();
        }
    }

    private protected sealed record BusyRoom(string Id, ProtooClient[] Clients, Traffic Traffic);
}
