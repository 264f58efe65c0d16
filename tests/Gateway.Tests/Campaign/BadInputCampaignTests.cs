using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.Silo.Workers;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Coordinator.Gateway.Tests.Campaign;

/// <summary>
/// A node for the campaign: the per-socket rate limit and the invalid-frame limit are lifted so
/// every frame reaches the grains (<see cref="PartialInputCampaignTests"/> runs with them).
/// </summary>
public sealed class CampaignNode : EmbeddedNode
{
    protected override IEnumerable<string> Settings =>
    [
        "--Gateway:MaxMessagesPerSecond=1000000",
        "--Gateway:MessageBurst=1000000",
        "--Gateway:MaxInvalidFrames=1000000",
        "--Logging:LogLevel:Default=Error",

        // Idle system activations (stream rendezvous of closed sessions) are collected quickly here.
        "--Orleans:GrainCollection:CollectionQuantum=00:00:01",
        "--Orleans:GrainCollection:CollectionAge=00:00:05",
    ];
}

/// <summary>
/// At least 100,000 generated and mutated frames through a real gateway with a real worker, while
/// a well-behaved room runs alongside. Nothing crashes, every request gets exactly one response,
/// memory comes back, and the well-behaved room's transcript is the one it has when run alone.
/// </summary>
[Collection(CampaignCollection.Name)]
public sealed class BadInputCampaignTests(CampaignNode node, ITestOutputHelper output) : IClassFixture<CampaignNode>
{
    private const int Batches = 100;
    private const int FramesPerBatch = 1000;
    private const int Attackers = 4;

    [Fact]
    public async Task A_hundred_thousand_hostile_frames_change_nothing_they_should_not()
    {
        var pool = node.Services.GetRequiredService<WorkerPool>();
        var workerPid = Assert.Single(pool.Workers).Pid;
        var workerDeaths = 0;
        pool.WorkerDied += (_, _) => Interlocked.Increment(ref workerDeaths);

        var alone = await WellBehavedRoom($"calm-{Guid.NewGuid():N}");
        await Attack(batches: 10, seed: 1); // warm-up: the memory baseline then includes what the code paths cache
        var before = SettledMemory();

        var alongside = WellBehavedRoom($"calm-{Guid.NewGuid():N}");
        var stats = await Attack(Batches, seed: 20261125);
        var transcript = await alongside;

        output.WriteLine($"{stats.Frames} frames ({stats.Requests} requests, {stats.WellFormed} well-formed protocol messages)");
        Assert.True(stats.Frames >= 100_000);
        Assert.True(stats.WellFormed * 3 >= stats.Frames, "at least a third of the frames are well-formed protocol messages");
        Assert.Equal(0, workerDeaths);
        Assert.Equal(workerPid, Assert.Single(pool.Workers).Pid);
        Assert.Equal(alone, transcript);

        await Eventually.True(() => node.Services.GetRequiredService<Grains.Rooms.OpenRooms>().Count == 0, TimeSpan.FromSeconds(30), "the attack rooms to close");
        // What the campaign leaves behind must go once idle activations are collected.
        var after = SettledMemory();
        await Eventually.True(() => (after = SettledMemory()) <= before * 1.10, TimeSpan.FromSeconds(60),
            $"managed memory to return within 10 % of {before / 1024} KiB");
        output.WriteLine($"managed memory: {before / 1024} KiB before, {after / 1024} KiB after");
    }

    private sealed record AttackStats(int Frames, int Requests, int WellFormed);

    /// <summary>
    /// A CsCheck sample: each iteration is a generated batch of frames that fresh attackers, joined
    /// to a room of their own, fire at the gateway, pipelined; every request must be answered once.
    /// </summary>
    private async Task<AttackStats> Attack(int batches, long seed)
    {
        int total = 0, requests = 0, wellFormed = 0, batch = 0;
        await Check.SampleAsync(
            HostileFrames.Any.Array[FramesPerBatch],
            async generated =>
            {
                var (frames, sentRequests, protocol) = await RunBatch(generated, $"attack-{seed}-{batch++}");
                total += frames;
                requests += sentRequests;
                wellFormed += protocol;
            },
            iter: batches,
            threads: 1);
        return new AttackStats(total, requests, wellFormed);
    }

    private async Task<(int Frames, int Requests, int WellFormed)> RunBatch(HostileFrames.Frame[] generated, string room)
    {
        await using var attackers = new JoinedPeers(await Task.WhenAll(Enumerable.Range(0, Attackers).Select(async i =>
        {
            var attacker = await node.JoinedPeerAsync(room, $"attacker{i}");
            await attacker.CreateSendTransport();
            return attacker;
        })));

        var sent = attackers.ToDictionary(attacker => attacker, _ => new List<long>());
        var texts = new Dictionary<long, string>();
        var nextId = 1_000L;
        for (var i = 0; i < generated.Length; i++)
        {
            var attacker = attackers[i % Attackers];
            var frame = generated[i];
            if (frame.IsRequest)
            {
                var id = nextId++;
                sent[attacker].Add(id);
                texts[id] = HostileFrames.WithId(frame.Text, id);
                await attacker.SendAsync(texts[id]);
            }
            else
            {
                await attacker.SendAsync(frame.Text);
            }
        }

        foreach (var (attacker, ids) in sent)
        {
            try
            {
                await attacker.WaitForFramesAsync(f => ProtooClient.IsResponse(f) && f.GetProperty("id").GetInt64() >= 1_000, ids.Count);
            }
            catch (TimeoutException)
            {
                var got = attacker.Frames.Where(ProtooClient.IsResponse).Select(f => f.GetProperty("id").GetInt64()).ToHashSet();
                var missing = ids.Where(id => !got.Contains(id)).Take(3).Select(id => texts[id]);
                Assert.Fail($"{attacker.PeerName} (socket {attacker.CloseStatus} {attacker.CloseDescription}) got no response to:\n{string.Join("\n", missing)}");
            }

            var answered = attacker.Frames.Where(ProtooClient.IsResponse).Select(f => f.GetProperty("id").GetInt64()).Where(id => id >= 1_000).Order();
            Assert.Equal(ids.Order(), answered); // exactly one response per request
        }

        return (generated.Length, sent.Values.Sum(ids => ids.Count), generated.Count(frame => frame.IsWellFormedProtocol));
    }

    /// <summary>
    /// alice sends audio, bob receives it, both leave; returns each socket's transcript with the
    /// values that are random per run (ids, ssrcs, ICE credentials, ports, fingerprints) blanked.
    /// </summary>
    private async Task<IReadOnlyList<string>> WellBehavedRoom(string room)
    {
        // Every step waits for what it causes, so each socket's frames come in one order only.
        await using var joined = await node.JoinedPeersAsync(room, "alice", "bob");
        var (alice, bob) = joined;
        await alice.WaitForNotificationAsync("newPeer");
        var (_, consumer) = await alice.ProduceTo(bob, "audio");
        var recv = await bob.CreateRecvTransport();
        await bob.MediasoupAsync(Requests.EnableConsumer(consumer, recv)).Ok();
        await bob.NotifyAndSettle(Requests.Notification("leave"));
        await alice.WaitForNotificationAsync("peerClosed");
        await alice.NotifyAndSettle(Requests.Notification("leave"));
        return [.. alice.Frames.Select(Normalized).Prepend("alice"), .. bob.Frames.Select(Normalized).Prepend("bob")];
    }

    private static readonly HashSet<string> RandomKeys = ["id", "ssrc", "usernameFragment", "password", "port", "value", "transportId"];

    private static string Normalized(JsonElement frame)
    {
        static JsonNode? Blank(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var key in obj.Select(pair => pair.Key).ToArray())
                    {
                        obj[key] = RandomKeys.Contains(key) ? "*" : Blank(obj[key]);
                    }

                    return obj;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        array[i] = Blank(array[i]?.DeepClone());
                    }

                    return array;
                default:
                    return node?.DeepClone();
            }
        }

        return Blank(JsonNode.Parse(frame.GetRawText()))!.ToJsonString();
    }

    private static long SettledMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>
/// The campaign runs alone: its memory check measures this whole test process, so other test
/// collections allocating meanwhile would blur what the campaign itself leaves behind.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CampaignCollection
{
    public const string Name = "bad-input campaign";
}
