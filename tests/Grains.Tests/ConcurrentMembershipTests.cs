using System.Text.Json;
using Coordinator.TestSupport;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Many peers joining and leaving one room at the same instant: every peer's transcript (its join
/// response, then its notifications by seq) must replay to exactly the room's real membership,
/// with no missing, duplicate or out-of-order newPeer / peerClosed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ConcurrentMembershipTests(ClusterFixture fixture)
{
    private const int PeersPerRound = 50;
    private const int Rounds = 3;
    private readonly TestRoom _room = new(fixture.Client);

    [Fact]
    public async Task Fifty_simultaneous_joins_then_half_leaving_keep_every_transcript_consistent()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var peers = await Task.WhenAll(Enumerable.Range(0, PeersPerRound)
                .Select(i => _room.ConnectAsync($"r{round}-p{i:00}")));

            var joins = await ReleasedTogether(peers, peer => peer.JoinAsync());
            Assert.All(joins, join => Assert.True(join.Ok, join.ErrorReason));

            var leavers = peers.Where((_, i) => i % 2 == 1).ToArray();
            var survivors = peers.Where((_, i) => i % 2 == 0).ToArray();
            await ReleasedTogether(leavers, peer => peer.LeaveAsync().ContinueWith(_ => 0));

            var transcripts = peers.Zip(joins, (peer, join) => new Transcript(peer, join.Data!.Value)).ToArray();
            foreach (var survivor in transcripts.Where(t => survivors.Contains(t.Peer)))
            {
                var expected = survivors.Select(p => p.Name).Where(name => name != survivor.Peer.Name).Order().ToArray();
                await Eventually.True(() => survivor.Replay().SequenceEqual(expected), TimeSpan.FromSeconds(20),
                    $"{survivor.Peer.Name}'s transcript to converge on the {expected.Length} other survivors");
            }

            Assert.All(transcripts, transcript => transcript.AssertConsistent());
            Assert.Equal(survivors.Select(p => p.Name).Order(), (await peers[0].Room.Describe()).Peers.Order());

            await Task.WhenAll(survivors.Select(peer => peer.LeaveAsync()));
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }
        }
    }

    private static async Task<T[]> ReleasedTogether<T>(IEnumerable<TestPeer> peers, Func<TestPeer, Task<T>> action)
    {
        var barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = peers.Select(async peer =>
        {
            await barrier.Task;
            return await action(peer);
        }).ToArray();
        barrier.SetResult();
        return await Task.WhenAll(tasks);
    }

    private sealed class Transcript(TestPeer peer, JsonElement joinResponse)
    {
        public TestPeer Peer { get; } = peer;

        /// <summary>Applies the transcript; throws on any missing, duplicate or out-of-order item.</summary>
        public string[] Replay()
        {
            var known = new HashSet<string>();
            foreach (var listed in joinResponse.GetProperty("peers").EnumerateArray())
            {
                Assert.True(known.Add(listed.GetProperty("name").GetString()!), "duplicate peer in the join response");
            }

            var items = Peer.Items;
            for (var i = 0; i < items.Count; i++)
            {
                Assert.Equal(i + 1, items[i].Seq);
                var notification = items[i].Notification!.Value;
                var name = notification.GetProperty("name").GetString()!;
                switch (notification.GetProperty("method").GetString())
                {
                    case "newPeer":
                        Assert.True(name != Peer.Name && known.Add(name), $"{Peer.Name}: newPeer({name}) for a peer already known");
                        break;
                    case "peerClosed":
                        Assert.True(known.Remove(name), $"{Peer.Name}: peerClosed({name}) for a peer not known");
                        break;
                    default:
                        Assert.Fail($"unexpected notification {notification}");
                        break;
                }
            }

            return [.. known.Order()];
        }

        public void AssertConsistent() => Replay();
    }
}
