using System.Diagnostics;
using Coordinator.TestSupport;
using Xunit.Abstractions;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// Redis restarted empty (no persistence) under a running cluster. The silos do not retry a
/// vanished membership table forever: each stops with exit code 75 within a bound. Restarted by
/// their supervisor (here, the test), they form a fresh cluster, and the running gateways serve
/// joins again without a restart of their own. Sockets of the old cluster are closed for rejoin.
/// </summary>
public sealed class MembershipStoreLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Silos_stop_when_the_store_forgets_them_and_a_restart_recovers_the_cluster()
    {
        var room = $"store-{Guid.NewGuid():N}";
        await using var alice = await _cluster.ConnectAsync("gateway1", room, "alice");
        await alice.JoinAsync();

        var wiped = Stopwatch.GetTimestamp();
        _cluster.Redis.KillHard();
        await _cluster.StartRedisAsync();

        foreach (var (name, (silo, _)) in _cluster.Silos.ToArray())
        {
            await silo.WaitForExitAsync(StopBound);
            Assert.Equal(75, silo.ExitCode);
        }

        output.WriteLine($"Redis restarted empty -> both silos stopped (exit 75) after {Stopwatch.GetElapsedTime(wiped).TotalMilliseconds:0} ms");
        await alice.Closed.WaitAsync(StopBound);
        output.WriteLine($"alice's socket closed: {alice.CloseStatus} {alice.CloseDescription}");

        var restarted = Stopwatch.GetTimestamp();
        await Task.WhenAll(_cluster.StartSiloAsync("silo1"), _cluster.StartSiloAsync("silo2"));
        foreach (var gateway in _cluster.Gateways.Keys)
        {
            await Eventually.True(async () =>
            {
                try
                {
                    await using var bob = await _cluster.ConnectAsync(gateway, $"{room}-{gateway}", "bob");
                    await bob.JoinAsync();
                    return true;
                }
                catch (Exception)
                {
                    return false;
                }
            }, RecoveryBound, $"a join through {gateway} after the silos restarted");
        }

        output.WriteLine($"silos restarted -> joins through both gateways work after {Stopwatch.GetElapsedTime(restarted).TotalMilliseconds:0} ms");
    }
}
