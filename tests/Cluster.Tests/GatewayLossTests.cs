using System.Diagnostics;
using Coordinator.TestSupport;
using Xunit.Abstractions;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// <c>kill -9</c> of one gateway: its peers are closed in their rooms (the others get
/// <c>peerClosed</c>) once its session lease runs out, a signaling frontend's sessions on it as much
/// as browser sockets, and its clients reconnect through the other gateway.
/// </summary>
public sealed class GatewayLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// Loose: the lease lasts 5 s and is checked every 1.25 s, and a stream delivery still addressed
    /// to the dead gateway can hold up its queue for the silos' 10 s response timeout.
    /// </summary>
    private static readonly TimeSpan PeerClosedBound = TimeSpan.FromSeconds(30);

    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Peers_of_a_killed_gateway_leave_their_rooms_and_reconnect_through_another()
    {
        var rooms = Enumerable.Range(0, 3).Select(i => $"gw-loss-{i}-{Guid.NewGuid():N}").ToArray();
        var stayers = new List<Tools.Protoo.ProtooClient>();
        var frontend = await _cluster.ConnectFrontendAsync("gateway1");
        foreach (var room in rooms)
        {
            var alice = await _cluster.ConnectAsync("gateway1", room, "alice");
            var bob = await _cluster.ConnectAsync("gateway2", room, "bob");
            await alice.JoinAsync();
            await alice.PublishAudioAsync();
            await bob.JoinAsync();
            var carol = await frontend.OpenSessionAsync($"carol-{room}", room, "carol");
            await carol.JoinAsync(CapturedSession.JoinCapabilities).Ok();
            stayers.Add(bob);
        }

        var killed = Stopwatch.GetTimestamp();
        _cluster.Gateways["gateway1"].Process.KillHard();

        TimeSpan[] closes;
        try
        {
            closes = await Task.WhenAll(stayers.Select(async bob =>
            {
                await Eventually.True(
                    () => new[] { "alice", "carol" }.All(gone => bob.Notifications.Any(n => n.GetProperty("method").GetString() == "peerClosed" && n.GetProperty("name").GetString() == gone)),
                    PeerClosedBound,
                    "bob to be told that alice's and carol's gateway is gone (peerClosed for both)");
                return Stopwatch.GetElapsedTime(killed);
            }));
        }
        catch (TimeoutException timeout)
        {
            var seen = string.Join("; ", stayers.Select(bob => string.Join(", ", bob.Notifications.Where(n => n.GetProperty("method").GetString() == "peerClosed").Select(n => n.GetProperty("name").GetString()))));
            throw new TimeoutException($"{timeout.Message}\npeerClosed seen per room: {seen}\n{_cluster.Logs()}");
        }
        output.WriteLine($"kill -9 of gateway1 -> peerClosed for its peers after {closes.Max().TotalMilliseconds:0} ms (lease 5 s)");

        // alice reconnects through the surviving gateway and is a peer again.
        foreach (var (room, bob) in rooms.Zip(stayers))
        {
            await using var alice = await _cluster.ConnectAsync("gateway2", room, "alice");
            await alice.JoinAsync();
            await bob.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "alice");
            Assert.Null(bob.CloseStatus);
        }

        foreach (var bob in stayers)
        {
            await bob.DisposeAsync();
        }
    }
}
