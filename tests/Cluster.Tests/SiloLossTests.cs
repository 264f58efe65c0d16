using System.Diagnostics;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;
using Xunit.Abstractions;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// <c>kill -9</c> of one silo while rooms on both silos carry traffic: the dead silo's rooms are
/// closed for their clients (4001, so they rejoin) within a bound, the other rooms see no close, no
/// failure and no request slower than 2 s (one in flight through the dying silo is sent again), and
/// the clients rejoin at once.
/// </summary>
public class SiloLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The cluster store; <see cref="PostgreSqlSiloLossTests"/> runs the same test on PostgreSQL.</summary>
    protected virtual ClusterStore Store => ClusterStore.Redis;

    /// <summary>Loose: membership needs about 3 s to declare the silo dead, the gateway's watch up to 1 s more.</summary>
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A request of a dead silo's room ends as its session does: answered 503 just before the close,
    /// once membership declares the silo dead (about 1 s; loose for a busy machine).
    /// </summary>
    private static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(4);

    /// <summary>A request of a surviving room caught by the kill is sent again at once: answered within this.</summary>
    private static readonly TimeSpan SurvivorRequestBound = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long rooms are opened until both silos hold two: placement follows load figures the
    /// silos exchange every second, so right after start every room may land on one silo.
    /// </summary>
    private static readonly TimeSpan PlacementPatience = TimeSpan.FromSeconds(30);

    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartAsync(store: Store);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Rooms_of_a_killed_silo_close_for_rejoin_and_other_rooms_carry_on()
    {
        var rooms = await RoomsOnBothSilosAsync();
        var victim = rooms[0].Silo;
        var doomed = rooms.Where(room => room.Silo == victim).ToList();
        var survivors = rooms.Where(room => room.Silo != victim).ToList();
        output.WriteLine($"{rooms.Count} rooms: {doomed.Count} on {victim} (killed), {survivors.Count} elsewhere");

        foreach (var room in rooms)
        {
            room.Traffic.Start();
        }

        await Task.WhenAll(rooms.Select(room => room.Traffic.WaitForProgressAsync()));
        var killed = Stopwatch.GetTimestamp();
        _cluster.Silos[victim].Process.KillHard();
        var declaredDead = MeasureDeathDeclarationAsync(_cluster.Silos[victim].SiloPort, killed);

        // Every socket of the dead silo's rooms is closed with "reconnect and rejoin".
        var closes = doomed.SelectMany(room => room.Clients).Select(async client =>
        {
            await client.Closed.WaitAsync(CloseBound);
            return (client, Stopwatch.GetElapsedTime(killed));
        });
        var closed = await Task.WhenAll(closes);
        foreach (var (client, after) in closed)
        {
            Assert.Equal(CloseCodes.ReconnectAndRejoin, (int?)client.CloseStatus);
            Assert.Contains("rejoin", client.CloseDescription);
        }

        output.WriteLine($"kill -9 of {victim} -> membership declared it dead after {(await declaredDead).TotalMilliseconds:0} ms");
        var slowest = closed.Max(close => close.Item2);
        output.WriteLine($"kill -9 of {victim} -> every socket of its rooms closed (4001) after {slowest.TotalMilliseconds:0} ms");

        // The clients rejoin at once: the room opens afresh on the surviving silo.
        foreach (var room in doomed)
        {
            var rejoined = Stopwatch.GetTimestamp();
            await using var alice = await _cluster.ConnectAsync("gateway2", room.Id, "alice");
            try
            {
                await alice.JoinAsync();
            }
            catch (TimeoutException timeout)
            {
                throw new TimeoutException($"{timeout.Message}\n{_cluster.Logs()}");
            }
            output.WriteLine($"{room.Id}: rejoined in {Stopwatch.GetElapsedTime(rejoined).TotalMilliseconds:0} ms, now on {await _cluster.SiloOfRoomAsync(room.Id)}");
        }

        // The surviving rooms kept going through it all, without a close.
        foreach (var room in survivors)
        {
            var completedAtCheck = room.Traffic.Completed;
            try
            {
                await room.Traffic.WaitForProgressAsync(completedAtCheck + 3);
            }
            catch (Exception stalled)
            {
                throw new InvalidOperationException($"{room.Id} on {room.Silo}: {stalled.Message}\n{_cluster.Logs()}", stalled);
            }
        }

        foreach (var room in rooms)
        {
            await room.Traffic.StopAsync();
        }

        foreach (var room in survivors)
        {
            // A request that was on its way through the killed silo (an Orleans client reaches a
            // grain through one silo's gateway) is sent again as soon as the gateway sees that
            // connection drop, and the Peer answers it once: nothing fails, nothing waits long.
            Assert.True(room.Traffic.Failures.Count == 0, $"{room.Id}: {string.Join("\n", room.Traffic.Failures.Take(3))}\n{Story(room)}");
            Assert.True(room.Traffic.LongestRequest < SurvivorRequestBound, $"{room.Id}: a request waited {room.Traffic.LongestRequest} ({room.Traffic.LongestOutcome})\n{Story(room)}");
            Assert.All(room.Clients, client => Assert.Null(client.CloseStatus));
            Assert.False(room.Clients.Any(client => client.Notifications.Any(n => n.GetProperty("method").GetString() is "closed" or "peerClosed")), "a surviving room saw a peer close");
            output.WriteLine($"{room.Id} on {room.Silo}: {room.Traffic.Completed} requests, none failed, longest {room.Traffic.LongestRequest.TotalMilliseconds:0} ms");
        }

        foreach (var room in doomed)
        {
            // A request caught by the loss is answered 503 "…failed: rejoin" just before its socket closes.
            Assert.True(room.Traffic.LongestRequest < RequestBound, $"{room.Id}: a request waited {room.Traffic.LongestRequest}");
            Assert.All(room.Traffic.Failures, failure => Assert.Contains($"\"errorCode\":{ServerLoss.Code}", failure.Description));
            output.WriteLine($"{room.Id} on {room.Silo}: {room.Traffic.Failures.Count} requests answered 503, longest {room.Traffic.LongestRequest.TotalMilliseconds:0} ms ({room.Traffic.LongestOutcome[..Math.Min(120, room.Traffic.LongestOutcome.Length)]})");
        }

        foreach (var client in rooms.SelectMany(room => room.Clients))
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>Time from the kill until the surviving silo's membership view says Dead.</summary>
    private async Task<TimeSpan> MeasureDeathDeclarationAsync(int siloPort, long killed)
    {
        var management = _cluster.Grains.GetGrain<IManagementGrain>(0);
        await Eventually.True(
            async () =>
            {
                try
                {
                    var hosts = await management.GetHosts(onlyActive: false);
                    return hosts.Any(host => host.Key.Endpoint.Port == siloPort && host.Value == SiloStatus.Dead);
                }
                catch (Exception)
                {
                    return false;
                }
            },
            CloseBound,
            "membership to declare the killed silo dead");
        return Stopwatch.GetElapsedTime(killed);
    }

    /// <summary>Opens rooms (alice on gateway1 publishing, bob on gateway2 receiving) until both silos host at least two.</summary>
    private async Task<List<BusyRoom>> RoomsOnBothSilosAsync()
    {
        var rooms = new List<BusyRoom>();
        bool Filled() => rooms.Count(r => r.Silo == "silo1") >= 2 && rooms.Count(r => r.Silo == "silo2") >= 2;
        var placing = Stopwatch.StartNew();
        for (var attempt = 0; placing.Elapsed < PlacementPatience && !Filled(); attempt++)
        {
            var id = $"busy-{attempt}-{Guid.NewGuid():N}";
            var alice = await _cluster.ConnectAsync("gateway1", id, "alice");
            var bob = await _cluster.ConnectAsync("gateway2", id, "bob");
            await alice.JoinAsync();
            await bob.JoinAsync();
            await bob.ReceiveAsync();
            var producer = await alice.PublishAudioAsync();
            await bob.WaitForNotificationAsync("newConsumer");
            rooms.Add(new BusyRoom(id, await _cluster.SiloOfRoomAsync(id), [alice, bob], new Traffic(alice, producer)));
        }

        Assert.True(Filled(), $"rooms never landed on both silos in {placing.Elapsed.TotalSeconds:0} s: {string.Join(", ", rooms.Select(r => r.Silo))}");
        return rooms;
    }

    /// <summary>What the room's clients received and what the processes logged about it.</summary>
    private string Story(BusyRoom room) =>
        string.Join("\n", room.Clients.Select(client => $"{client.PeerName}: close {client.CloseStatus} {client.CloseDescription}; notifications "
            + string.Join(",", client.Notifications.Select(n => n.GetProperty("method").GetString()).Distinct())))
        + "\n" + string.Join("\n", _cluster.Logs().Split('\n').Where(line => line.Contains(room.Id) || line.StartsWith("====")));

    private sealed record BusyRoom(string Id, string Silo, ProtooClient[] Clients, Traffic Traffic);
}
