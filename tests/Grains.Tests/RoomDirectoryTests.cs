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
        var rooms = silos.Select(_ => new TestRoom(_client)).ToArray();
        for (var i = 0; i < silos.Length; i++)
        {
            await Steps.PlaceRoomOn(_client, rooms[i].Id, silos[i]);
        }

        await using var alice = await rooms[0].JoinAsync("alice");
        await using var bob = await rooms[0].JoinAsync("bob");
        await using var carol = await rooms[1].JoinAsync("carol");
        await alice.ProduceTo(bob);

        var listing = await _client.GetGrain<IRoomDirectoryGrain>(0).ListRooms();

        Assert.Empty(listing.UnreachableSilos);
        var first = Assert.Single(listing.Rooms, room => room.Id == rooms[0].Id);
        var second = Assert.Single(listing.Rooms, room => room.Id == rooms[1].Id);
        Assert.Equal((2, 1, 1, 1), (first.Peers, first.Transports, first.Producers, first.Consumers));
        Assert.Equal((1, 0, 0, 0), (second.Peers, second.Transports, second.Producers, second.Consumers));
        for (var i = 0; i < silos.Length; i++)
        {
            var room = listing.Rooms.Single(room => room.Id == rooms[i].Id);
            Assert.Equal(silos[i].ToParsableString(), room.Silo);
            Assert.Equal((await rooms[i].Grain.Describe()).Incarnation, room.Incarnation);
        }
    }

    [Fact]
    public async Task A_closed_room_leaves_the_listing()
    {
        var room = new TestRoom(_client);
        await using var alice = await room.JoinAsync("alice");
        Assert.Contains(await Listed(), summary => summary.Id == room.Id);

        await room.Grain.CloseByAdmin("test");

        Assert.DoesNotContain(await Listed(), summary => summary.Id == room.Id);
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
