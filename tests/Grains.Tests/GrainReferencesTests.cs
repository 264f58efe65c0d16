using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Tests;

/// <summary>A reference made with the grain type resolved once is the reference Orleans makes, and reaches the same grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainReferencesTests(ClusterFixture fixture)
{
    private readonly IClusterClient _client = fixture.Client;

    [Fact]
    public async Task A_cached_reference_equals_Orleans_own_for_every_key_and_interface()
    {
        foreach (var key in new[] { $"references-{Guid.NewGuid():N}", $"references-{Guid.NewGuid():N}" })
        {
            var room = _client.Reference<IRoomGrain>(key);
            Assert.Equal(_client.GetGrain<IRoomGrain>(key), room);
            Assert.Equal(_client.GetGrain<IRoomGrain>(key).GetGrainId(), room.GetGrainId());
            Assert.Equal(await _client.GetGrain<IRoomGrain>(key).Host(), await room.Host());
        }

        var peer = _client.Reference<IPeerGrain>(GrainKeys.Peer("references", "alice"));
        Assert.Equal(_client.GetGrain<IPeerGrain>(GrainKeys.Peer("references", "alice")).GetGrainId(), peer.GetGrainId());
        Assert.NotEqual(_client.Reference<IRoomGrain>("references").GetGrainId().Type, peer.GetGrainId().Type);
    }
}
