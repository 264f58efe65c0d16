using System.Diagnostics;

namespace Coordinator.Tools.LoadTest;

/// <summary>What <c>--mode idle</c> found: how many peers joined, and the server's memory with them idle.</summary>
public sealed record IdleResult
{
    /// <summary>Peers connected and joined when memory was sampled (the divisor of the per-peer figures).</summary>
    public required int JoinedPeers { get; init; }

    /// <summary>Time spent connecting and joining (both halves, without the memory sampling between them).</summary>
    public required double JoinSeconds { get; init; }

    /// <summary>How long the run waited, all peers joined, before sampling memory.</summary>
    public required double SettleSeconds { get; init; }

    /// <summary>False when memory still moved by more than 1 % when the settle limit was reached.</summary>
    public required bool Settled { get; init; }

    public IdleMemory? Memory { get; init; }

    /// <summary>Why <see cref="Memory"/> is missing.</summary>
    public string? MemoryNote { get; init; }
}

/// <summary>The <c>--server-pid</c> process alone (the node, not its workers), in KiB.</summary>
public sealed record IdleMemory
{
    public required int Pid { get; init; }

    /// <summary>Before the first socket.</summary>
    public required MemorySample Baseline { get; init; }

    /// <summary>The first half of the peers joined and idle, memory settled.</summary>
    public required MemorySample HalfJoined { get; init; }

    /// <summary>Peers joined when <see cref="HalfJoined"/> was sampled.</summary>
    public required int HalfJoinedPeers { get; init; }

    /// <summary>Every peer joined and idle, memory settled.</summary>
    public required MemorySample Joined { get; init; }

    /// <summary>After every peer left and closed, memory settled again; null when it could not be read.</summary>
    public MemorySample? Closed { get; init; }

    /// <summary>(joined − baseline) VmRSS per joined peer: the issue's target is under 20 KiB.</summary>
    public required double RssKiBPerPeer { get; init; }

    /// <summary>The same for RssAnon (the process's private memory), when the kernel reports it.</summary>
    public double? RssAnonKiBPerPeer { get; init; }

    /// <summary>
    /// (joined − half joined) VmRSS per peer of the second half: what one more idle peer costs, without
    /// the one-off costs every figure from the baseline includes (code paged in and compiled on the first
    /// requests, caches and pools sized on first use, the garbage collector's initial budgets). Null
    /// when no peer of the second half joined.
    /// </summary>
    public double? MarginalRssKiBPerPeer { get; init; }
}

/// <summary>
/// N peers connect and join rooms of P (<c>idle-&lt;run&gt;-&lt;i / P&gt;</c>) with the captured join request and
/// then do nothing (no transports, no producers), so the server's memory per connected, idle peer can be read.
/// </summary>
internal static class IdleScenario
{
    /// <summary>Sockets opened (or closed) at once: enough to be quick, few enough not to look like a connect flood.</summary>
    public const int OpenConcurrency = 64;

    /// <summary>Memory counts as settled once VmRSS stayed within 1 % over the last 3 one-second samples...</summary>
    private const double SettledWithin = 0.01;
    private const int SettledSamples = 4;

    /// <summary>...or, if it keeps moving, after this long.</summary>
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(30);

    private sealed record IdlePeer(LoadPeer Peer, int Room, int AlreadyThere);

    public static async Task<IdleResult> RunAsync(RunContext context, TextWriter? progress)
    {
        var options = context.Options;
        var pid = options.ServerPid;
        MemorySample? baseline = null;
        if (pid is not null)
        {
            baseline = ProcessMemory.Sample(pid.Value)
                ?? throw new RunCannotStartException($"--server-pid {pid}: cannot read /proc/{pid}/status (no such process?)");
            progress?.WriteLine($"server pid {pid}: baseline VmRSS {baseline.RssKiB:N0} KiB, RssAnon {baseline.RssAnonKiB:N0} KiB");
        }

        // Two halves, memory settled after each: the second half's growth is what one more idle peer costs.
        var half = options.EffectiveConnections / 2;
        var opened = Stopwatch.GetTimestamp();
        var peers = await OpenAsync(context, 0, half);
        var joinSeconds = Stopwatch.GetElapsedTime(opened).TotalSeconds;
        await AwaitNewPeersAsync(peers);
        var (halfJoined, _, _) = await SettleAsync(context, pid);
        var halfOpen = peers.Count(p => !p.Peer.SocketClosed);
        progress?.WriteLine($"{peers.Count:N0} peers joined and memory sampled; joining the rest");
        opened = Stopwatch.GetTimestamp();
        peers.AddRange(await OpenAsync(context, half, options.EffectiveConnections));
        joinSeconds += Stopwatch.GetElapsedTime(opened).TotalSeconds;
        MemorySample? joined;
        double settleSeconds;
        bool settled;
        int stillOpen;
        try
        {
            progress?.WriteLine($"{peers.Count:N0} of {options.EffectiveConnections:N0} peers joined in {joinSeconds:0.0} s");
            await AwaitNewPeersAsync(peers);
            (joined, settleSeconds, settled) = await SettleAsync(context, pid);
            stillOpen = peers.Count(p => !p.Peer.SocketClosed);
            for (var closedByServer = peers.Count - stillOpen; closedByServer > 0; closedByServer--)
            {
                context.Recorder.Error("socket closed while idle");
            }

            progress?.WriteLine($"memory sampled {settleSeconds:0.0} s after the last join{(settled ? "" : " (still moving)")}; {stillOpen:N0} sockets open; closing");
        }
        finally
        {
            await CloseAllAsync(peers);
        }

        IdleMemory? memory = null;
        if (pid is { } serverPid && baseline is not null && halfJoined is not null && joined is not null && stillOpen > 0)
        {
            var (closed, _, _) = await SettleAsync(context, pid);
            memory = new IdleMemory
            {
                Pid = serverPid,
                Baseline = baseline,
                HalfJoined = halfJoined,
                HalfJoinedPeers = halfOpen,
                Joined = joined,
                Closed = closed,
                RssKiBPerPeer = Math.Round((double)(joined.RssKiB - baseline.RssKiB) / stillOpen, 2),
                RssAnonKiBPerPeer = joined.RssAnonKiB is { } a && baseline.RssAnonKiB is { } b ? Math.Round((double)(a - b) / stillOpen, 2) : null,
                MarginalRssKiBPerPeer = stillOpen > halfOpen ? Math.Round((double)(joined.RssKiB - halfJoined.RssKiB) / (stillOpen - halfOpen), 2) : null,
            };
            progress?.WriteLine($"after close: VmRSS {closed?.RssKiB:N0} KiB, RssAnon {closed?.RssAnonKiB:N0} KiB");
        }

        return new IdleResult
        {
            JoinedPeers = stillOpen,
            JoinSeconds = Math.Round(joinSeconds, 3),
            SettleSeconds = Math.Round(settleSeconds, 3),
            Settled = settled,
            Memory = memory,
            MemoryNote = memory is not null ? null
                : pid is null ? "memory not measured: no --server-pid"
                : stillOpen == 0 ? "memory not measured: no peer joined"
                : $"memory not measured: /proc/{pid}/status could not be read",
        };
    }

    /// <summary>Connects and joins peers [first, end), <see cref="OpenConcurrency"/> at a time; returns those that joined.</summary>
    private static async Task<List<IdlePeer>> OpenAsync(RunContext context, int first, int end)
    {
        var count = end;
        var size = context.Options.EffectivePeers;
        var slots = new IdlePeer?[count];
        long next = first - 1;
        await Task.WhenAll(Enumerable.Range(0, Math.Clamp(end - first, 0, OpenConcurrency)).Select(async _ =>
        {
            await Task.Yield();
            while (!context.Stop.IsCancellationRequested)
            {
                var i = (int)Interlocked.Increment(ref next);
                if (i >= count)
                {
                    break;
                }

                LoadPeer? peer = null;
                try
                {
                    peer = await LoadPeer.ConnectAsync(context, $"idle-{context.RunId}-{i / size}", $"peer{i % size}");
                    var response = await peer.JoinAsync();
                    slots[i] = new IdlePeer(peer, i / size, response.GetProperty("peers").GetArrayLength());
                    context.Recorder.CompletedOne();
                }
                catch (StepFailedException)
                {
                    if (peer is not null)
                    {
                        await peer.DisposeAsync();
                    }
                }
            }
        }));
        return [.. slots.OfType<IdlePeer>()];
    }

    /// <summary>
    /// Waits until each peer has had a newPeer for every member that joined its room after it (the room's
    /// size less the peers its join response listed), so that nothing is still in flight when memory is read.
    /// </summary>
    private static async Task AwaitNewPeersAsync(List<IdlePeer> peers)
    {
        var roomSizes = peers.GroupBy(p => p.Room).ToDictionary(g => g.Key, g => g.Count());
        await Task.WhenAll(peers.Select(async p =>
        {
            var expected = roomSizes[p.Room] - 1 - p.AlreadyThere;
            try
            {
                await p.Peer.WaitUntilAsync(peer => peer.NewPeerCount >= expected, $"{expected} newPeer");
            }
            catch (StepFailedException)
            {
            }
        }));
    }

    /// <summary>
    /// With <c>--duration</c>, waits that long; else samples VmRSS every second until it settles (or
    /// <see cref="SettleLimit"/>). Returns the last sample (null without a pid), the wait and whether it settled.
    /// </summary>
    private static async Task<(MemorySample? Sample, double Seconds, bool Settled)> SettleAsync(RunContext context, int? pid)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            if (context.Options.Duration is { } wait)
            {
                await Task.Delay(wait, context.Stop);
            }
            else if (pid is { } serverPid)
            {
                var window = new Queue<long>();
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
                while (ProcessMemory.Sample(serverPid) is { } sample)
                {
                    window.Enqueue(sample.RssKiB);
                    if (window.Count > SettledSamples)
                    {
                        window.Dequeue();
                    }

                    if (window.Count == SettledSamples && window.Max() - window.Min() <= SettledWithin * window.Max())
                    {
                        return (sample, Stopwatch.GetElapsedTime(start).TotalSeconds, true);
                    }

                    if (Stopwatch.GetElapsedTime(start) >= SettleLimit)
                    {
                        return (sample, Stopwatch.GetElapsedTime(start).TotalSeconds, false);
                    }

                    await timer.WaitForNextTickAsync(context.Stop);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Interrupted: sample now and report what there is.
        }

        return (pid is { } p ? ProcessMemory.Sample(p) : null, Stopwatch.GetElapsedTime(start).TotalSeconds, true);
    }

    /// <summary>Every peer leaves and closes, <see cref="OpenConcurrency"/> at a time; a socket the server closed is only disposed.</summary>
    private static async Task CloseAllAsync(List<IdlePeer> peers)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(OpenConcurrency, peers.Count)).Select(async _ =>
        {
            await Task.Yield();
            for (var i = Interlocked.Increment(ref next); i < peers.Count; i = Interlocked.Increment(ref next))
            {
                var peer = peers[i].Peer;
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
            }
        }));
    }
}
