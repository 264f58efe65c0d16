using System.Text.Json;
using Coordinator.TestSupport;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Peers joining while another peer creates, pauses and closes producers, all released at once:
/// every joiner ends with exactly one consumer per live producer, with the right paused state,
/// and when everyone leaves the media plane holds nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ProducerConsistencyTests(ClusterFixture fixture)
{
    private const int Joiners = 12;
    private const int Producers = 12;
    private readonly TestRoom _room = new(fixture.Client);

    [Fact]
    public async Task Joins_racing_producer_changes_end_with_one_consumer_per_live_producer_and_nothing_leaks()
    {
        await using var alice = await _room.JoinAsync("alice");
        var sendTransport = await alice.CreateTransport();
        var router = fixture.RouterWithTransport(sendTransport);
        var joiners = await Task.WhenAll(Enumerable.Range(0, Joiners).Select(i => _room.ConnectAsync($"joiner{i}")));

        // alice's producer churn and the joins, released together.
        var live = new Dictionary<uint, bool>(); // producer id → paused
        var barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var churn = Task.Run(async () =>
        {
            await barrier.Task;
            for (var i = 0; i < Producers; i++)
            {
                var id = Steps.NextId();
                await alice.Produce(sendTransport, id: id, appData: new { producer = id });
                live[id] = false;
                if (i % 3 == 1)
                {
                    await alice.NotifyAsync("pauseProducer", new { id });
                    live[id] = true;
                }

                if (i % 4 == 2)
                {
                    await alice.NotifyAsync("closeProducer", new { id });
                    live.Remove(id);
                }
            }
        });
        var joins = joiners.Select(async joiner =>
        {
            await barrier.Task;
            var result = await joiner.JoinAsync();
            Assert.True(result.Ok, result.ErrorReason);
            return (joiner, response: result.Data!.Value);
        }).ToArray();
        barrier.SetResult();
        await churn;
        var joined = await Task.WhenAll(joins);

        foreach (var (joiner, response) in joined)
        {
            // Replay: consumers from the join response, plus newConsumer, minus consumerClosed.
            Dictionary<uint, uint> Replay()
            {
                var consumers = new Dictionary<uint, uint>(); // consumer id → producer id
                var listed = response.GetProperty("peers").EnumerateArray().SingleOrDefault(p => p.GetProperty("name").GetString() == "alice");
                if (listed.ValueKind == JsonValueKind.Object)
                {
                    foreach (var consumer in listed.GetProperty("consumers").EnumerateArray())
                    {
                        Assert.True(consumers.TryAdd(consumer.GetProperty("id").GetUInt32(), ProducerOf(consumer)), "duplicate consumer id");
                    }
                }

                foreach (var notification in joiner.Notifications)
                {
                    var id = notification.TryGetProperty("id", out var value) ? value.GetUInt32() : 0;
                    switch (notification.GetProperty("method").GetString())
                    {
                        case "newConsumer":
                            Assert.True(consumers.TryAdd(id, ProducerOf(notification)), $"{joiner.Name}: consumer {id} announced twice");
                            break;
                        case "consumerClosed":
                            Assert.True(consumers.Remove(id), $"{joiner.Name}: consumerClosed for unknown consumer {id}");
                            break;
                    }
                }

                return consumers;
            }

            await Eventually.True(() => Replay().Values.Order().SequenceEqual(live.Keys.Order()), TimeSpan.FromSeconds(10),
                $"{joiner.Name} to hold exactly one consumer per live producer");

            // Enabling each consumer reports the producer's real paused state.
            var recvTransport = await joiner.CreateTransport();
            foreach (var (consumer, producer) in Replay())
            {
                var enabled = await joiner.Enable(consumer, recvTransport);
                Assert.Equal(live[producer], enabled.GetProperty("paused").GetBoolean());
            }
        }

        Assert.Equal(live.Count * Joiners, router.Consumers.Count);
        Assert.Equal(live.Keys.Order(), router.Producers.Order());

        // Half the joiners leave while the others keep consuming: only their objects go.
        var leavers = joiners.Where((_, i) => i % 2 == 0).ToArray();
        await Task.WhenAll(leavers.Select(joiner => joiner.LeaveAsync()));
        Assert.Equal(live.Count * (Joiners - leavers.Length), router.Consumers.Count);
        Assert.Equal(1 + Joiners - leavers.Length, router.Transports.Count);

        await Task.WhenAll(joiners.Except(leavers).Select(joiner => joiner.LeaveAsync()));
        await alice.LeaveAsync();
        Assert.Empty(router.Consumers);
        Assert.Empty(router.Producers);
        Assert.Empty(router.Transports);
        foreach (var joiner in joiners)
        {
            await joiner.DisposeAsync();
        }
    }

    private static uint ProducerOf(JsonElement consumer) => consumer.GetProperty("appData").GetProperty("producer").GetUInt32();
}
