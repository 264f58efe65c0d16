using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Media;
using Coordinator.Protocol.Ortc;
using Coordinator.Silo.Hosting;
using Coordinator.Silo.Media;
using Coordinator.Silo.Workers;
using Coordinator.Tools.LoadTest;
using Microsoft.Extensions.Options;

namespace Coordinator.ChannelBenchmark;

/// <summary>
/// The media-plane half of the load tool's <c>sequence</c>, with no Orleans, no WebSocket and no
/// client: the same <see cref="WorkerMediaPlane"/> the node uses, on as many workers as the node
/// starts (one per core), with the captured Chromium requests. Each room of 4 peers is a router;
/// each peer creates a WebRTC transport (UDP and TCP) with its DTLS parameters, an audio producer
/// and a consumer of it for each other peer, then leaves as the Room closes a leaving peer (its
/// producer, its remaining consumers, its transport); the router closes with the last peer.
/// It answers one question: how many sequences per second can the workers themselves serve on
/// this machine, and how much worker CPU does one cost.
/// </summary>
public static class MediaSequenceBenchmark
{
    private const int PeersPerRoom = 4;

    /// <summary>How long a run waits past its duration for <c>minimumSequences</c> before it reports what it has.</summary>
    private static readonly TimeSpan MinimumPatience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs rooms for <paramref name="warmup"/>, then measures for <paramref name="duration"/> and
    /// until at least <paramref name="minimumSequences"/> have completed (a loaded machine can
    /// stall a short window), waiting at most <see cref="MinimumPatience"/> longer.
    /// </summary>
    public static async Task<MediaSequenceResult> RunAsync(
        WorkerOptions options, string? session, int connections, TimeSpan warmup, TimeSpan duration, TextWriter log, long minimumSequences = 0)
    {
        var payloads = CapturedPayloads.Load(session);
        var transportRequest = payloads.CreateTransport(send: true, id: 1);
        var dtlsParameters = JsonSerializer.SerializeToElement(transportRequest["dtlsParameters"]);
        var rtpParameters = payloads.CreateProducer("audio", id: 1, transportId: 1)["rtpParameters"]!;
        var roomCapabilities = RoomCapabilities.Generate(JsonNode.Parse(RoomSettingsLoader.DefaultMediaCodecs));
        var mapping = JsonSerializer.SerializeToElement(ProducerRtpMapping.Compute(rtpParameters, roomCapabilities).ToWorkerJson());
        var producerParameters = JsonSerializer.SerializeToElement(rtpParameters);
        var plan = new PeerPlan(dtlsParameters, producerParameters, mapping);

        await using var pool = new WorkerPool(Options.Create(options));
        await pool.StartAsync(CancellationToken.None);
        using var plane = new WorkerMediaPlane(pool);
        log.WriteLine($"media sequence: {pool.Workers.Count} workers, {connections} peers at once in rooms of {PeersPerRoom}, {plan.Describe()}");

        var rooms = Math.Max(1, connections / PeersPerRoom);
        var completed = 0L;
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, rooms).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await RunRoomAsync(plane, plan);
                Interlocked.Add(ref completed, PeersPerRoom);
            }
        })).ToArray();

        await Task.Delay(warmup);
        var workerCpuStart = WorkerCpu(pool);
        var ownCpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var countStart = Interlocked.Read(ref completed);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        while (Interlocked.Read(ref completed) - countStart < minimumSequences && clock.Elapsed < duration + MinimumPatience && !loops.Any(loop => loop.IsFaulted))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }

        var count = Interlocked.Read(ref completed) - countStart;
        var elapsed = clock.Elapsed;
        var workerCpu = WorkerCpu(pool) - workerCpuStart;
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime - ownCpuStart;
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        return new MediaSequenceResult(count, elapsed, workerCpu, ownCpu);
    }

    private static TimeSpan WorkerCpu(WorkerPool pool) =>
        pool.Workers.Aggregate(TimeSpan.Zero, (sum, worker) => sum + Process.GetProcessById(worker.Pid).TotalProcessorTime);

    private static async Task RunRoomAsync(IMediaPlane plane, PeerPlan plan)
    {
        var router = await plane.CreateRouterAsync(IgnoredEvents.Instance);
        var room = new RoomState();
        await Task.WhenAll(Enumerable.Range(0, PeersPerRoom).Select(peer => RunPeerAsync(router, room, plan, (uint)peer + 1)));
        await router.DisposeAsync();
    }

    /// <summary>
    /// One peer's media calls as the Room makes them (TransportOperations, ProducerOperations,
    /// RoomCascades.ClosePeerAsync), each request in a turn of its room as in the Room grain.
    /// </summary>
    private static async Task RunPeerAsync(IMediaRouter router, RoomState room, PeerPlan plan, uint peer)
    {
        var transportId = peer;
        var producerId = 100 + peer;
        await room.InTurnAsync(async () =>
        {
            await router.CreateWebRtcTransportAsync(transportId, new WebRtcTransportOptions(Udp: true, Tcp: true, false, false, false, false));
            await router.SetRemoteDtlsParametersAsync(transportId, plan.DtlsParameters);
        });
        await room.InTurnAsync(async () =>
        {
            await router.CreateProducerAsync(producerId, transportId, "audio", plan.RtpParameters, plan.RtpMapping, paused: false);
            await Task.WhenAll(room.ConsumersOf(peer).Select(consumerId => router.CreateConsumerAsync(consumerId, producerId, "audio")));
        });
        await room.InTurnAsync(async () =>
        {
            var consumers = room.Leave(peer);
            await router.CloseProducerAsync(producerId);
            foreach (var consumerId in consumers)
            {
                await router.CloseConsumerAsync(consumerId);
            }

            await router.CloseTransportAsync(transportId);
        });
    }

    /// <summary>What one run measured after its warm-up.</summary>
    public sealed record MediaSequenceResult(long Sequences, TimeSpan Elapsed, TimeSpan WorkerCpu, TimeSpan OwnCpu)
    {
        public double PerSecond => Sequences / Elapsed.TotalSeconds;

        public double WorkerCpuMsPerSequence => WorkerCpu.TotalMilliseconds / Sequences;

        public void Print(TextWriter log)
        {
            log.WriteLine($"sequences: {Sequences:N0} in {Elapsed.TotalSeconds:0.0} s = {PerSecond:N0}/s");
            log.WriteLine(
                $"CPU: workers {100 * WorkerCpu.TotalSeconds / Elapsed.TotalSeconds:0} % of a core ({WorkerCpuMsPerSequence:0.000} ms per sequence), "
                + $"this process {100 * OwnCpu.TotalSeconds / Elapsed.TotalSeconds:0} % ({OwnCpu.TotalMilliseconds / Sequences:0.000} ms per sequence)");
            log.WriteLine(
                $"workers alone at {Environment.ProcessorCount} full cores: at most {Environment.ProcessorCount * 1000 / WorkerCpuMsPerSequence:N0} sequences/s");
        }
    }

    private sealed record PeerPlan(JsonElement DtlsParameters, JsonElement RtpParameters, JsonElement RtpMapping)
    {
        public string Describe() => $"audio producer with {RtpParameters.GetProperty("codecs").GetArrayLength()} codec(s)";
    }

    /// <summary>
    /// A room's turn and which consumers exist, so that a leaving peer closes only those whose
    /// producer is still open (the worker closes the consumers of its own producer with it).
    /// </summary>
    private sealed class RoomState
    {
        private readonly SemaphoreSlim _turn = new(1, 1);
        private readonly List<(uint Id, uint Owner, uint Source)> _consumers = [];
        private readonly HashSet<uint> _left = [];
        private uint _nextConsumerId = 1000;

        public async Task InTurnAsync(Func<Task> operation)
        {
            await _turn.WaitAsync();
            try
            {
                await operation();
            }
            finally
            {
                _turn.Release();
            }
        }

        /// <summary>New consumers of <paramref name="source"/>'s producer, one for each other peer still in the room.</summary>
        public List<uint> ConsumersOf(uint source)
        {
            var created = Enumerable.Range(1, PeersPerRoom).Select(p => (uint)p)
                .Where(owner => owner != source && !_left.Contains(owner))
                .Select(owner => (Id: _nextConsumerId++, Owner: owner, Source: source))
                .ToList();
            _consumers.AddRange(created);
            return [.. created.Select(c => c.Id)];
        }

        /// <summary>The leaving peer's consumers of producers still open; its own and its producer's consumers are forgotten.</summary>
        public List<uint> Leave(uint peer)
        {
            _left.Add(peer);
            var own = _consumers.Where(c => c.Owner == peer && !_left.Contains(c.Source)).Select(c => c.Id).ToList();
            _consumers.RemoveAll(c => c.Owner == peer || c.Source == peer);
            return own;
        }
    }

    private sealed class IgnoredEvents : IMediaEventSink
    {
        public static readonly IgnoredEvents Instance = new();

        public void TransportClosed(uint transportId)
        {
        }

        public void IceStateChanged(uint transportId, string iceState)
        {
        }

        public void DtlsStateChanged(uint transportId, string dtlsState)
        {
        }

        public void ConsumerClosed(uint consumerId)
        {
        }

        public void ConsumerSourcePaused(uint consumerId)
        {
        }

        public void ConsumerSourceResumed(uint consumerId)
        {
        }

        public void ConsumerEffectiveProfileChanged(uint consumerId, string profile)
        {
        }

        public void AudioLevels(IReadOnlyList<AudioLevel> levels)
        {
        }

        public void RouterClosed(string reason)
        {
        }
    }
}
