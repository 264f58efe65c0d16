using Coordinator.TestSupport;

namespace Coordinator.Grains.Tests;

/// <summary>
/// A join into a room of publishers creates one consumer per producer. The worker requests go out
/// together, so the join waits for one worker round trip rather than one per producer (a join into
/// 50 publishing peers creates 100 consumers).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class JoinConsumerCreationTests(ClusterFixture fixture)
{
    private readonly TestRoom _room = new(fixture.Client);

    [Fact]
    public async Task A_joiner_s_consumer_requests_are_all_sent_before_the_first_is_answered()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var carol = await _room.JoinAsync("carol");
        var aliceTransport = await alice.CreateTransport();
        var carolTransport = await carol.CreateTransport();
        uint[] producers =
        [
            await alice.Produce(aliceTransport),
            await alice.Produce(aliceTransport),
            await carol.Produce(carolTransport),
        ];
        var router = fixture.RouterWithTransport(aliceTransport);
        await using var bob = await _room.ConnectAsync("bob");

        router.HoldConsumerCreations();
        var join = bob.JoinAsync();
        try
        {
            await Eventually.True(() => router.HeldConsumerCreations == producers.Length, TimeSpan.FromSeconds(10),
                "all three consumer creations to be waiting on the worker at once");
        }
        finally
        {
            router.ReleaseConsumerCreations();
        }

        var result = await join;
        Assert.True(result.Ok, result.ErrorReason);
        var listed = result.Data!.Value.GetProperty("peers").EnumerateArray().ToDictionary(
            peer => peer.GetProperty("name").GetString()!,
            peer => peer.GetProperty("consumers").EnumerateArray().Select(consumer => consumer.GetProperty("id").GetUInt32()).ToArray());
        Assert.Equal(["alice", "carol"], listed.Keys);
        Assert.Equal(2, listed["alice"].Length);
        Assert.Single(listed["carol"]);
        Assert.All(listed.Values.SelectMany(ids => ids), consumer => Assert.Contains(consumer, router.Consumers));
        Assert.Equal(["alice", "carol", "bob"], (await bob.Room.Describe()).Peers);
    }
}
