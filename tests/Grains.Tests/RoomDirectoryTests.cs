using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Tests;

/// <summary>The cluster-wide room listing: every silo's open rooms, each named with its own silo.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RoomDirectoryTests(ClusterFixture fixture)
{
    private readonly IClusterClient _client = fixture.Client;

    [Fact]
    public async Task Rooms_on_every_silo_are_listed_with_their_silo_and_sizes()
    {
        var silos = fixture.Cluster.Silos.Select(silo => silo.SiloAddress).ToArray();
        Assert.Equal(2, silos.Length);
        var rooms = silos.Select(_ => $"room-{Guid.NewGuid():N}").ToArray();
        for (var i = 0; i < silos.Length; i++)
        {
            await AdminSteps.PlaceRoomOn(_client, rooms[i], silos[i]);
        }

        await using var alice = await TestPeer.JoinAsync(_client, rooms[0], "alice");
        await using var bob = await TestPeer.JoinAsync(_client, rooms[0], "bob");
        await using var carol = await TestPeer.JoinAsync(_client, rooms[1], "carol");
        await alice.Produce(await alice.CreateTransport());
        await bob.WaitForNotificationAsync("newConsumer");

        var listing = await _client.GetGrain<IRoomDirectoryGrain>(0).ListRooms();

        Assert.Empty(listing.UnreachableSilos);
        var first = Assert.Single(listing.Rooms, room => room.Id == rooms[0]);
        var second = Assert.Single(listing.Rooms, room => room.Id == rooms[1]);
        Assert.Equal((2, 1, 1, 1), (first.Peers, first.Transports, first.Producers, first.Consumers));
        Assert.Equal((1, 0, 0, 0), (second.Peers, second.Transports, second.Producers, second.Consumers));
        for (var i = 0; i < silos.Length; i++)
        {
            var room = listing.Rooms.Single(room => room.Id == rooms[i]);
            Assert.Equal(silos[i].ToParsableString(), room.Silo);
            Assert.Equal((await _client.GetGrain<IRoomGrain>(rooms[i]).Describe()).Incarnation, room.Incarnation);
        }
    }

    [Fact]
    public async Task A_closed_room_leaves_the_listing()
    {
        var room = $"room-{Guid.NewGuid():N}";
        await using var alice = await TestPeer.JoinAsync(_client, room, "alice");
        Assert.Contains(await Listed(), summary => summary.Id == room);

        await _client.GetGrain<IRoomGrain>(room).CloseByAdmin("test");

        Assert.DoesNotContain(await Listed(), summary => summary.Id == room);
    }

    [Fact]
    public async Task A_registry_activated_on_the_wrong_silo_says_so_instead_of_listing_that_silos_rooms()
    {
        // Named after a silo that is not there (an older generation of a restarted one, say).
        var answer = await AskOn(fixture.Cluster.Silos[1].SiloAddress, "127.0.0.1:1@1");

        Assert.True(answer.Misplaced);
        Assert.Empty(answer.Rooms);
    }

    private async Task<IReadOnlyList<RoomSummary>> Listed() => (await _client.GetGrain<IRoomDirectoryGrain>(0).ListRooms()).Rooms;

    private async Task<SiloRooms> AskOn(SiloAddress silo, string key)
    {
        RequestContext.Set(Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey, silo);
        return await _client.GetGrain<ISiloRoomsGrain>(key).List();
    }
}
