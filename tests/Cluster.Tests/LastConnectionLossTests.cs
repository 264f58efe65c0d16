using System.Diagnostics;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;
using Xunit.Abstractions;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// Orleans opens a gateway's connections to silos lazily and reports the cluster lost when the last
/// open one closes. A gateway whose only connection was to the silo just killed must reach the
/// other silos instead of closing every socket: rooms on a surviving silo keep theirs.
/// </summary>
public class LastConnectionLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private LocalCluster _cluster = null!;

    // A gateway list read once, at start, while only silo1 was up: gateway1 connects to silo1 alone,
    // whatever it sends later. That is the case a busy gateway reaches by chance (it had sent
    // everything through one silo), made certain here.
    public async Task InitializeAsync() => _cluster = await LocalCluster.StartWithOneSiloAsync(
        new Dictionary<string, string> { ["Orleans__GatewayList__GatewayListRefreshPeriod"] = "00:10:00" });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_gateway_whose_only_connection_was_to_a_killed_silo_keeps_the_other_silos_rooms()
    {
        await _cluster.StartSiloAsync("silo2");
        await Eventually.True(async () => await _cluster.ActiveSilosAsync() == 2, Bound, "silo2 to join");
        var rooms = await RoomsOnSilo2Async();

        _cluster.Silos["silo1"].Process.KillHard();

        // The gateway hears of silo1's death from silo2, so it reached the cluster again.
        await Eventually.True(() => _cluster.Logs().Contains("left the cluster (Dead)"), Bound, "gateway1 to see silo1 dead");

        // Its verdict comes on the confirmation's own schedule (an attempt may take up to 1 s), so
        // it can follow the news of silo1's death: wait for either verdict.
        string Gateway1() => _cluster.Gateways["gateway1"].Process.Output();
        await Eventually.True(
            () => Gateway1().Contains("Reached the cluster again") || Gateway1().Contains("closing all sockets"),
            Bound,
            "gateway1 to reach the cluster again, or to give up");
        var reached = Gateway1().Split('\n').FirstOrDefault(line => line.Contains("Reached the cluster again"));
        Assert.True(reached is not null, $"gateway1 never said it reached the cluster again\n{_cluster.Logs()}");
        output.WriteLine($"gateway1: {reached.Trim()}");
        Assert.DoesNotContain("closing all sockets", _cluster.Logs());

        foreach (var (id, alice, bob) in rooms)
        {
            Assert.True(alice.CloseStatus is null && bob.CloseStatus is null, $"{id}: {alice.CloseStatus} {alice.CloseDescription} / {bob.CloseStatus} {bob.CloseDescription}\n{_cluster.Logs()}");

            // Requests and notifications still flow both ways.
            await alice.PublishAudioAsync();
            await bob.WaitForNotificationAsync("newConsumer", n => n.GetProperty("peerName").GetString() == "alice");
            output.WriteLine($"{id} on silo2: sockets open, a new producer reached the other peer");
        }
    }

    /// <summary>Opens rooms through gateway1 (alice publishing, bob receiving) until two are on silo2.</summary>
    private async Task<List<(string Id, ProtooClient Alice, ProtooClient Bob)>> RoomsOnSilo2Async()
    {
        var rooms = new List<(string, ProtooClient, ProtooClient)>();
        var placing = Stopwatch.StartNew();
        for (var attempt = 0; placing.Elapsed < Bound && rooms.Count < 2; attempt++)
        {
            var id = $"last-connection-{attempt}-{Guid.NewGuid():N}";
            var alice = await _cluster.ConnectAsync("gateway1", id, "alice");
            var bob = await _cluster.ConnectAsync("gateway1", id, "bob");
            await alice.JoinAsync();
            await bob.JoinAsync();
            await bob.ReceiveAsync();
            if (await _cluster.SiloOfRoomAsync(id) == "silo2")
            {
                rooms.Add((id, alice, bob));
            }
        }

        Assert.True(rooms.Count == 2, $"rooms never landed on silo2 in {placing.Elapsed.TotalSeconds:0} s");
        return rooms;
    }
}
