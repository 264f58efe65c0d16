using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Interfaces.Hosting;
using Coordinator.Grains.Interfaces.Streams;
using Coordinator.Silo.Streams;
using Coordinator.TestSupport;
using Orleans.Configuration;
using Orleans.Streams;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// Notification queues are read where their queue grain lives: a silo that joins takes no queue over
/// (a hand-over would hold up every notification on it for seconds), and the queues of a silo that
/// dies come back on a survivor, which reads them. Notifications flow through both gateways throughout.
/// </summary>
public sealed class QueueOwnershipTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Longer than a balancer's recheck period (5 s): time enough for a silo to take queues over if it would.</summary>
    private static readonly TimeSpan ObservationWindow = TimeSpan.FromSeconds(7);

    /// <summary>What a silo's queue balancer logs when it has learned which queues live on it, and at each change.</summary>
    private const string ReadsQueues = "this silo now reads the queues living on it: ";

    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_joining_silo_takes_no_queue_and_a_dead_silos_queues_move_to_a_survivor()
    {
        await NotificationsFlowAsync();
        var hosts = await QueueHostsAsync() ?? throw new InvalidOperationException($"a queue did not say where it lives\n{_cluster.Logs()}");
        var victim = hosts.Values.First();
        var survivor = _cluster.Silos.Keys.Single(silo => silo != victim);

        _cluster.Silos[victim].Process.KillHard();
        await Eventually.True(async () => await QueueHostsAsync() is { } now && now.Values.All(host => host == survivor), Patience, $"every queue to live on {survivor}\n{_cluster.Logs()}");
        await NotificationsFlowAsync();

        await _cluster.StartSiloAsync(victim);
        await Eventually.True(async () => await _cluster.ActiveSilosAsync() == 2, Patience, $"{victim} to be active again");
        var rejoined = _cluster.Silos[victim].Process;
        await Eventually.True(() => rejoined.Output().Contains(ReadsQueues), Patience, $"{victim} to say which queues it reads");
        await NotificationsFlowAsync();
        await Task.Delay(ObservationWindow);
        var finalHosts = await QueueHostsAsync();
        Assert.NotNull(finalHosts);
        Assert.All(finalHosts.Values, host => Assert.Equal(survivor, host));
        Assert.Equal(["[]"], rejoined.Output().Split('\n').Where(line => line.Contains(ReadsQueues)).Select(line => line[(line.IndexOf(ReadsQueues) + ReadsQueues.Length)..].Trim()));
        await NotificationsFlowAsync();
    }

    /// <summary>
    /// Where each queue lives, by silo name; null while some queue cannot answer (its silo died and
    /// is not declared dead yet). Never a partial answer: an empty one would make "every queue lives
    /// on the survivor" true before any queue had moved.
    /// </summary>
    private async Task<Dictionary<string, string>?> QueueHostsAsync()
    {
        var mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = new NotificationStreamSettings().Queues }, GrainKeys.NotificationStreamProvider);
        var hosts = new Dictionary<string, string>();
        try
        {
            foreach (var queue in mapper.GetAllQueues())
            {
                var host = await _cluster.Grains.GetGrain<INotificationQueueGrain>(NotificationQueueAdapterFactory.QueueKey(GrainKeys.NotificationStreamProvider, queue)).Host().WaitAsync(TimeSpan.FromSeconds(5));
                hosts[queue.ToString()] = _cluster.Silos.Single(silo => silo.Value.SiloPort == host.Endpoint.Port).Key;
            }
        }
        catch (Exception)
        {
            return null;
        }

        return hosts;
    }

    /// <summary>In new rooms (placed on either silo), a peer on each gateway is told of the other's producer.</summary>
    private async Task NotificationsFlowAsync()
    {
        try
        {
            await NotificationsFlowInNewRoomsAsync();
        }
        catch (Exception failure)
        {
            throw new InvalidOperationException($"{failure.Message}\n{_cluster.Logs()}", failure);
        }
    }

    private async Task NotificationsFlowInNewRoomsAsync()
    {
        for (var i = 0; i < 4; i++)
        {
            var room = $"queues-{Guid.NewGuid():N}";
            await using var alice = await _cluster.ConnectAsync("gateway1", room, "alice");
            await using var bob = await _cluster.ConnectAsync("gateway2", room, "bob");
            await alice.JoinAsync();
            await bob.JoinAsync();
            await alice.PublishAudioAsync();
            await bob.PublishAudioAsync();
            await alice.WaitForNotificationAsync("newConsumer");
            await bob.WaitForNotificationAsync("newConsumer");
        }
    }
}
