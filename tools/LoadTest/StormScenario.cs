using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Coordinator.Tools.LoadTest;

/// <summary>What <c>--mode storm</c> sent, what its idle peers received, and the server's memory around it.</summary>
public sealed record StormResult
{
    public required string Room { get; init; }

    /// <summary>Peers that joined and only read their sockets.</summary>
    public required int IdlePeers { get; init; }

    /// <summary>Peers that created and closed producers in a loop.</summary>
    public required int StormPeers { get; init; }

    /// <summary>Loops (createProducer then closeProducer) per second asked of each storming peer.</summary>
    public required double RatePerPeer { get; init; }

    /// <summary>The size of each producer's appData, as JSON text.</summary>
    public required int AppDataBytes { get; init; }

    /// <summary>How long the room stood, set up, before the pre-storm memory was read.</summary>
    public required double SettleSeconds { get; init; }

    public required double StormSeconds { get; init; }

    /// <summary>How long memory was sampled after the storm.</summary>
    public required double AfterSeconds { get; init; }

    /// <summary>createProducer requests answered with success.</summary>
    public required long ProducersCreated { get; init; }

    /// <summary>closeProducer notifications sent, one for each producer created.</summary>
    public required long ProducersClosed { get; init; }

    /// <summary><c>newConsumer</c> received by the idle peers in all.</summary>
    public required long NewConsumerReceived { get; init; }

    /// <summary>Producers created × idle peers: each idle peer gets a consumer of every producer.</summary>
    public required long NewConsumerExpected { get; init; }

    /// <summary><c>consumerClosed</c> received by the idle peers in all.</summary>
    public required long ConsumerClosedReceived { get; init; }

    /// <summary>Producers closed × idle peers.</summary>
    public required long ConsumerClosedExpected { get; init; }

    /// <summary>CPU of the server and its children in the after-period, in percent of one core (the storm's own is the run's server CPU).</summary>
    public double? ServerCpuPercentAfter { get; init; }

    public StormMemory? Memory { get; init; }

    /// <summary>Why <see cref="Memory"/> is missing.</summary>
    public string? MemoryNote { get; init; }
}

/// <summary>The <c>--server-pid</c> process's memory around the storm (its children, the workers, alongside), and the targets.</summary>
public sealed record StormMemory
{
    /// <summary>The storm may raise the server's VmRSS to at most this multiple of its pre-storm value.</summary>
    public const double MaxRatioTarget = 1.5;

    /// <summary>After the after-period, the server's VmRSS may exceed its pre-storm value by at most this.</summary>
    public const double AfterDifferenceTargetMiB = 50;

    public required int Pid { get; init; }

    /// <summary>The room set up and settled, just before the first producer.</summary>
    public required MemoryPoint PreStorm { get; init; }

    /// <summary>The storm's sample with the highest VmRSS of the process (one a second, and one as the storm ended).</summary>
    public required MemoryPoint MaxDuring { get; init; }

    /// <summary><see cref="MaxDuring"/> ÷ <see cref="PreStorm"/>, process VmRSS.</summary>
    public required double MaxRatio { get; init; }

    public required bool MaxWithinTarget { get; init; }

    /// <summary>The after-period's last sample, every peer still in the room.</summary>
    public required MemoryPoint After { get; init; }

    /// <summary><see cref="After"/> − <see cref="PreStorm"/>, process VmRSS, in MiB.</summary>
    public required double AfterDifferenceMiB { get; init; }

    public required bool AfterWithinTarget { get; init; }

    /// <summary>The highest sum of the children's VmRSS during the storm.</summary>
    public required long MaxChildrenRssKiBDuring { get; init; }

    /// <summary>Every sample from the start of the run, with its phase: setup, settle, storm, after, leaving (the delivery check and the leaves).</summary>
    public required IReadOnlyList<MemoryPoint> Samples { get; init; }
}

/// <summary>
/// The notification storm: idle peers in a room, and a few storming peers that each create an audio
/// producer with a large appData and close it again, at a steady rate. Every create sends a newConsumer
/// (carrying the appData) to every other peer, every close a consumerClosed. Each storming socket stays
/// inside the server's limits; the server's memory must stay bounded during the storm and come back after it.
/// </summary>
internal static class StormScenario
{
    private const string SetupPhase = "setup";
    private const string SettlePhase = "settle";
    private const string StormPhase = "storm";
    private const string AfterPhase = "after";
    private const string LeavingPhase = "leaving";

    /// <summary>Loops of one storming peer under way at once (each holds at most one live producer).</summary>
    private const int LoopsInFlight = 8;

    public static async Task<StormResult> RunAsync(RunContext context, TextWriter? progress)
    {
        var options = context.Options;
        var pid = options.ServerPid;
        await using var memory = pid is { } serverPid ? new MemoryMonitor(serverPid, SetupPhase, Stopwatch.GetTimestamp()) : null;
        if (memory is { First: null })
        {
            throw new RunCannotStartException($"--server-pid {pid}: cannot read /proc/{pid}/status (no such process?)");
        }

        context.ProgressNote = () => memory?.Points is [.., var last] ? $"{memory.Phase}, server VmRSS {Mib(last.RssKiB):N0} MiB" : memory?.Phase;
        var room = $"storm-{context.RunId}";
        var appData = AppData(options.EffectiveAppDataBytes);
        var idle = new List<LoadPeer>();
        var storming = new List<(LoadPeer Peer, uint Transport)>();
        var counters = new StormCounters();
        double settleSeconds = 0, stormSeconds = 0, afterSeconds = 0;
        MemoryPoint? preStorm = null, after = null;
        double? cpuAfter = null;
        try
        {
            var setup = Stopwatch.GetTimestamp();
            if (!await SetUpAsync(context, room, idle, storming))
            {
                progress?.WriteLine("storm: the room could not be set up; no storm");
                return Result(context, room, appData, idle, counters, 0, 0, 0, null, null, null, memory, "memory not measured: the room could not be set up");
            }

            progress?.WriteLine($"room {room}: {idle.Count} idle and {storming.Count} storming peers joined in {Stopwatch.GetElapsedTime(setup).TotalSeconds:0.0} s; settling {options.EffectiveWarmup.TotalSeconds:0.#} s");
            var settle = Stopwatch.GetTimestamp();
            if (memory is not null)
            {
                memory.Phase = SettlePhase;
            }

            await DelayAsync(options.EffectiveWarmup, context.Stop);
            settleSeconds = Stopwatch.GetElapsedTime(settle).TotalSeconds;
            preStorm = memory?.SampleNow();
            if (memory is not null)
            {
                memory.Phase = StormPhase;
                progress?.WriteLine($"pre-storm: server VmRSS {Mib(preStorm?.RssKiB):N1} MiB, its children {Mib(preStorm?.ChildrenRssKiB):N1} MiB");
            }

            // The storm is the measured part: the run's rates, latencies and CPU figures are the storm's.
            context.BeginMeasurement();
            var stormStart = Stopwatch.GetTimestamp();
            using (var stormOver = CancellationTokenSource.CreateLinkedTokenSource(context.Stop))
            {
                stormOver.CancelAfter(options.EffectiveDuration ?? TimeSpan.FromSeconds(60));
                await Task.WhenAll(storming.Select(s => StormLoopAsync(context, s.Peer, s.Transport, appData, counters, stormOver.Token)));
            }

            stormSeconds = Stopwatch.GetElapsedTime(stormStart).TotalSeconds;
            context.EndMeasurement();
            memory?.SampleNow();
            progress?.WriteLine($"storm over after {stormSeconds:0.0} s: {counters.Created:N0} producers created and {counters.Closed:N0} closed; sampling {options.EffectiveAfter.TotalSeconds:0.#} s more");

            var afterStart = Stopwatch.GetTimestamp();
            var afterCpu = new CpuMeter(pid);
            if (memory is not null)
            {
                memory.Phase = AfterPhase;
            }

            await DelayAsync(options.EffectiveAfter, context.Stop);
            afterSeconds = Stopwatch.GetElapsedTime(afterStart).TotalSeconds;
            after = memory?.SampleNow();
            cpuAfter = afterCpu.Read().Server;
            if (memory is not null)
            {
                memory.Phase = LeavingPhase;
            }

            await CheckDeliveryAsync(context, idle, counters);
            foreach (var peer in idle.Concat(storming.Select(s => s.Peer)).Where(p => p.ClosedByServer))
            {
                context.Recorder.Error($"socket closed by the server: {peer.CloseReason}");
            }
        }
        finally
        {
            context.ProgressNote = null;
            await CloseAllAsync(idle.Concat(storming.Select(s => s.Peer)));
        }

        return Result(context, room, appData, idle, counters, settleSeconds, stormSeconds, afterSeconds, preStorm, after, cpuAfter, memory, null);
    }

    /// <summary>
    /// An appData whose JSON text is <paramref name="bytes"/> long (or as short as it can be): a <c>source</c>
    /// as a client sets one, padded with a string, so that it travels in every newConsumer.
    /// </summary>
    public static JsonObject AppData(int bytes)
    {
        const string shortest = """{"source":"storm","padding":""}""";
        return new JsonObject { ["source"] = "storm", ["padding"] = new string('x', Math.Max(0, bytes - shortest.Length)) };
    }

    /// <summary>Idle peers join one after the other, then the storming ones join and create their send transport.</summary>
    private static async Task<bool> SetUpAsync(RunContext context, string room, List<LoadPeer> idle, List<(LoadPeer Peer, uint Transport)> storming)
    {
        var options = context.Options;
        try
        {
            for (var i = 0; i < options.EffectivePeers; i++)
            {
                var peer = await LoadPeer.ConnectAsync(context, room, $"idle-{i}");
                idle.Add(peer);
                await peer.JoinAsync();
            }

            for (var i = 0; i < options.EffectiveStormPeers; i++)
            {
                var peer = await LoadPeer.ConnectAsync(context, room, $"storm-{i}");
                storming.Add((peer, 0));
                await peer.JoinAsync();
                storming[i] = (peer, await peer.CreateTransportAsync(send: true));
            }

            // Nothing of the set-up is in flight when the pre-storm memory is read: every peer has heard of
            // every peer that joined after it.
            var all = idle.Concat(storming.Select(s => s.Peer)).ToList();
            await Task.WhenAll(all.Select((peer, k) => peer.WaitUntilAsync(p => p.NewPeerCount >= all.Count - 1 - k, $"{peer.Name}'s {all.Count - 1 - k} newPeer")));
            return true;
        }
        catch (StepFailedException)
        {
            return false;
        }
    }

    /// <summary>
    /// createProducer (audio, the appData) and, once it is answered, closeProducer, started <c>--rate</c> times a
    /// second until the storm is over. A loop does not wait for the one before it (up to
    /// <see cref="LoopsInFlight"/> at once), so a server that answers slowly still gets the offered rate; a
    /// turn that finds them all busy starts late and is not made up.
    /// </summary>
    private static async Task StormLoopAsync(RunContext context, LoadPeer peer, uint transport, JsonObject appData, StormCounters counters, CancellationToken over)
    {
        await Task.Yield();
        var pacer = new SequencePacer(context.Options.EffectiveRate ?? 45);
        using var slots = new SemaphoreSlim(LoopsInFlight);
        var loops = new List<Task>();
        try
        {
            while (!peer.SocketClosed)
            {
                await pacer.WaitTurnAsync(over);
                await slots.WaitAsync(over);
                loops.Add(OneLoopAsync(context, peer, transport, appData, counters, slots));
                loops.RemoveAll(loop => loop.IsCompleted);
            }
        }
        catch (OperationCanceledException) when (over.IsCancellationRequested)
        {
        }

        await Task.WhenAll(loops);
    }

    private static async Task OneLoopAsync(RunContext context, LoadPeer peer, uint transport, JsonObject appData, StormCounters counters, SemaphoreSlim slots)
    {
        var id = context.NextId();
        var request = context.Payloads.CreateProducer("audio", id, transport);
        request["appData"] = appData.DeepClone();

        // Producers of one transport may be live at once, so each needs its own SSRC and MID, as a client's
        // new sender gets them (the worker refuses one already in use on the transport).
        var rtpParameters = request["rtpParameters"]!;
        rtpParameters["muxId"] = $"storm{id}";
        rtpParameters["encodings"]![0]!["ssrc"] = context.NextId();
        try
        {
            await peer.RequestAsync(request);
            Interlocked.Increment(ref counters.Created);
            await peer.NotifyAsync(CapturedPayloads.PeerNotification("closeProducer", id));
            Interlocked.Increment(ref counters.Closed);
            context.Recorder.CompletedOne();
        }
        catch (StepFailedException)
        {
            // Counted by the peer; a socket the server closed is counted once more when the storm ends.
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Each idle peer must have had a newConsumer for every producer created and a consumerClosed for every one closed.</summary>
    private static async Task CheckDeliveryAsync(RunContext context, List<LoadPeer> idle, StormCounters counters)
    {
        var (created, closed) = (Interlocked.Read(ref counters.Created), Interlocked.Read(ref counters.Closed));
        await Task.WhenAll(idle.Where(p => !p.SocketClosed).Select(async peer =>
        {
            try
            {
                await peer.WaitUntilAsync(p => p.NewConsumerCount >= created, $"{peer.Name}'s {created} newConsumer");
                await peer.WaitUntilAsync(p => p.ConsumerClosedCount >= closed, $"{peer.Name}'s {closed} consumerClosed");
            }
            catch (StepFailedException)
            {
            }
        }));
    }

    private static async Task CloseAllAsync(IEnumerable<LoadPeer> peers)
    {
        await Task.WhenAll(peers.Select(async peer =>
        {
            try
            {
                if (!peer.SocketClosed)
                {
                    await peer.LeaveAndCloseAsync();
                }
            }
            catch (StepFailedException)
            {
            }
            finally
            {
                await peer.DisposeAsync();
            }
        }));
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
            // Interrupted: report what there is.
        }
    }

    private static StormResult Result(
        RunContext context,
        string room,
        JsonObject appData,
        List<LoadPeer> idle,
        StormCounters counters,
        double settleSeconds,
        double stormSeconds,
        double afterSeconds,
        MemoryPoint? preStorm,
        MemoryPoint? after,
        double? cpuAfter,
        MemoryMonitor? memory,
        string? note)
    {
        var options = context.Options;
        var (created, closed) = (Interlocked.Read(ref counters.Created), Interlocked.Read(ref counters.Closed));
        var during = memory?.Points.Where(p => p.Phase == StormPhase).ToList() ?? [];
        StormMemory? figures = null;
        if (memory is not null && preStorm is not null && after is not null && during.Count > 0)
        {
            var max = during.MaxBy(p => p.RssKiB)!;
            var ratio = Math.Round((double)max.RssKiB / preStorm.RssKiB, 3);
            var difference = Math.Round(Mib(after.RssKiB - preStorm.RssKiB), 1);
            figures = new StormMemory
            {
                Pid = memory.Pid,
                PreStorm = preStorm,
                MaxDuring = max,
                MaxRatio = ratio,
                MaxWithinTarget = ratio <= StormMemory.MaxRatioTarget,
                After = after,
                AfterDifferenceMiB = difference,
                AfterWithinTarget = difference <= StormMemory.AfterDifferenceTargetMiB,
                MaxChildrenRssKiBDuring = during.Max(p => p.ChildrenRssKiB),
                Samples = memory.Points,
            };
        }

        return new StormResult
        {
            Room = room,
            IdlePeers = idle.Count,
            StormPeers = options.EffectiveStormPeers,
            RatePerPeer = options.EffectiveRate ?? 45,
            AppDataBytes = Encoding.UTF8.GetByteCount(appData.ToJsonString()),
            SettleSeconds = Math.Round(settleSeconds, 3),
            StormSeconds = Math.Round(stormSeconds, 3),
            AfterSeconds = Math.Round(afterSeconds, 3),
            ProducersCreated = created,
            ProducersClosed = closed,
            NewConsumerReceived = idle.Sum(p => (long)p.NewConsumerCount),
            NewConsumerExpected = created * idle.Count,
            ConsumerClosedReceived = idle.Sum(p => (long)p.ConsumerClosedCount),
            ConsumerClosedExpected = closed * idle.Count,
            ServerCpuPercentAfter = cpuAfter,
            Memory = figures,
            MemoryNote = figures is not null ? null
                : note ?? (options.ServerPid is null ? "memory not measured: no --server-pid" : $"memory not measured: /proc/{options.ServerPid}/status could not be read"),
        };
    }

    private static double Mib(long? kib) => (kib ?? 0) / 1024.0;

    private sealed class StormCounters
    {
        public long Created;
        public long Closed;
    }
}
