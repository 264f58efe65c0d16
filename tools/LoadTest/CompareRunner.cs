namespace Coordinator.Tools.LoadTest;

/// <summary>What <c>--mode compare</c> measured: one row per run, and the ratio per connection count.</summary>
public sealed record CompareResult
{
    public required DateTimeOffset StartedAt { get; init; }

    public required CompareServer Reference { get; init; }

    public required CompareServer Coordinator { get; init; }

    /// <summary>Peers per room.</summary>
    public required int Peers { get; init; }

    public required double WarmupSeconds { get; init; }

    /// <summary>The warm-up of each server's first run.</summary>
    public required double FirstWarmupSeconds { get; init; }

    public required double DurationSeconds { get; init; }

    public required int Rounds { get; init; }

    public required IReadOnlyList<int> Connections { get; init; }

    /// <summary>In the order they ran.</summary>
    public required IReadOnlyList<CompareRun> Runs { get; init; }

    public required IReadOnlyList<CompareRatio> Ratios { get; init; }

    public required long ErrorCount { get; init; }

    /// <summary>False when the sitting was interrupted before its last run.</summary>
    public required bool Complete { get; init; }
}

/// <summary>One of the two servers: where it listens, its process, and its memory when the sitting began (just after its start, if started for it).</summary>
public sealed record CompareServer(string Name, string Url, int? Pid, MemoryPoint? FirstSample);

/// <summary>One run of the sequence workload against one server.</summary>
public sealed record CompareRun
{
    public required int Number { get; init; }

    /// <summary><see cref="CompareRunner.ReferenceName"/> or <see cref="CompareRunner.CoordinatorName"/>.</summary>
    public required string Server { get; init; }

    public required int Connections { get; init; }

    public required int Round { get; init; }

    /// <summary>The warm-up asked for (the run's own report has the one that took place).</summary>
    public required double WarmupSeconds { get; init; }

    public required double SequencesPerSecond { get; init; }

    public required double SequenceP50Ms { get; init; }

    public required double SequenceP99Ms { get; init; }

    public required long ErrorCount { get; init; }

    /// <summary>
    /// Notifications the room-mates' sockets received per sequence: the work a sequence carries besides
    /// its requests, which depends on how much its room's peers overlap, so two servers can differ in it.
    /// </summary>
    public double? NotificationsPerSequence { get; init; }

    /// <summary>CPU of the server process alone per sequence, in ms.</summary>
    public double? ServerCpuMsPerSequence { get; init; }

    /// <summary>CPU of its children (the workers) per sequence, in ms: the tree's less the process's.</summary>
    public double? WorkersCpuMsPerSequence { get; init; }

    /// <summary>VmRSS of the server process when the run's last sequence ended, in KiB.</summary>
    public long? RssAfterKiB { get; init; }

    /// <summary>Its children's VmRSS summed at the same moment, in KiB.</summary>
    public long? ChildrenRssAfterKiB { get; init; }

    /// <summary>The machine's 1-, 5- and 15-minute load averages before the run.</summary>
    public string? LoadAverageBefore { get; init; }

    /// <summary>Everything the run measured, as <c>--mode sequence</c> reports it.</summary>
    public required LoadResult Result { get; init; }
}

/// <summary>Coordinator ÷ reference at one connection count, over the means of their runs; null where a side has no figure.</summary>
public sealed record CompareRatio
{
    public required int Connections { get; init; }

    /// <summary>Runs of each server the means are over.</summary>
    public required int Runs { get; init; }

    public double? SequencesPerSecond { get; init; }

    public double? SequenceP50 { get; init; }

    public double? SequenceP99 { get; init; }

    public double? NotificationsPerSequence { get; init; }

    public double? ServerCpuPerSequence { get; init; }

    public double? WorkersCpuPerSequence { get; init; }

    /// <summary>The servers' VmRSS after their last run at this count.</summary>
    public double? RssAfter { get; init; }
}

/// <summary>
/// Runs the sequence workload against the reference server and Coordinator back to back, alternating
/// (reference first), <c>--rounds</c> times at each <c>--connections</c> value, in one sitting.
/// </summary>
public static class CompareRunner
{
    public const string ReferenceName = "reference";
    public const string CoordinatorName = "Coordinator";

    public static async Task<CompareResult> RunAsync(LoadOptions options, TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var reference = Server(ReferenceName, options.ReferenceUrl ?? throw new ArgumentException("--mode compare needs --reference-url"), options.ReferencePid, "--reference-pid");
        var coordinator = Server(CoordinatorName, options.Url, options.ServerPid, "--server-pid");
        var counts = options.EffectiveConnectionCounts;
        var total = counts.Count * options.EffectiveRounds * 2;
        var runs = new List<CompareRun>();
        foreach (var connections in counts)
        {
            for (var round = 1; round <= options.EffectiveRounds; round++)
            {
                foreach (var server in new[] { reference, coordinator })
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }

                    // Each server's first run also warms up a freshly started process (Coordinator's JIT compiler
                    // works through its first minute; Node.js grows its heap), both the same.
                    var warmup = runs.Any(r => r.Server == server.Name) ? options.EffectiveWarmup : options.EffectiveFirstWarmup;
                    progress?.WriteLine($"run {runs.Count + 1}/{total}: {server.Name} at {server.Url}, {connections} connections, round {round}, {warmup.TotalSeconds:0.#} s of warm-up then {options.EffectiveDuration?.TotalSeconds:0.#} s");
                    var result = await LoadRunner.RunAsync(RunOptions(options, server, connections, warmup), progress, cancellationToken);
                    var run = Row(runs.Count + 1, server.Name, connections, round, warmup, result);
                    runs.Add(run);
                    progress?.WriteLine($"  {run.SequencesPerSecond:N1} sequences/s, p50 {run.SequenceP50Ms:0.0} ms, p99 {run.SequenceP99Ms:0.0} ms, {run.ErrorCount} errors");
                }
            }
        }

        return new CompareResult
        {
            StartedAt = startedAt,
            Reference = reference,
            Coordinator = coordinator,
            Peers = options.EffectivePeers,
            WarmupSeconds = options.EffectiveWarmup.TotalSeconds,
            FirstWarmupSeconds = options.EffectiveFirstWarmup.TotalSeconds,
            DurationSeconds = options.EffectiveDuration?.TotalSeconds ?? 0,
            Rounds = options.EffectiveRounds,
            Connections = counts,
            Runs = runs,
            Ratios = [.. counts.Select(c => Ratio(c, runs)).OfType<CompareRatio>()],
            ErrorCount = runs.Sum(r => r.ErrorCount),
            Complete = runs.Count == total,
        };
    }

    /// <summary>Each run is a plain sequence run, measured as <c>--mode sequence</c> measures one.</summary>
    public static LoadOptions RunOptions(LoadOptions options, CompareServer server, int connections, TimeSpan warmup) => options with
    {
        Mode = LoadMode.Sequence,
        Url = new Uri(server.Url),
        ServerPid = server.Pid,
        Connections = connections,
        ConnectionCounts = null,
        Warmup = warmup,
        Duration = options.EffectiveDuration,
        JsonPath = null,
        ReferenceUrl = null,
        ReferencePid = null,
        Rounds = null,
        FirstWarmup = null,
    };

    private static CompareServer Server(string name, Uri url, int? pid, string option)
    {
        MemoryPoint? first = null;
        if (pid is { } p)
        {
            first = MemoryPoint.Read(p, 0, "first sample")
                ?? throw new RunCannotStartException($"{option} {p}: cannot read /proc/{p}/status (no such process?)");
        }

        return new CompareServer(name, url.ToString(), pid, first);
    }

    private static CompareRun Row(int number, string server, int connections, int round, TimeSpan warmup, LoadResult result)
    {
        var sequence = result.Methods.GetValueOrDefault("sequence");
        return new CompareRun
        {
            Number = number,
            Server = server,
            Connections = connections,
            Round = round,
            WarmupSeconds = warmup.TotalSeconds,
            SequencesPerSecond = result.CompletedPerSecond,
            SequenceP50Ms = sequence?.P50 ?? 0,
            SequenceP99Ms = sequence?.P99 ?? 0,
            ErrorCount = result.ErrorCount,
            NotificationsPerSequence = result.Completed > 0 ? Math.Round(result.Notifications.Values.Sum(n => n.Count) / (double)result.Completed, 2) : null,
            ServerCpuMsPerSequence = result.NodeCpuMsPerUnit,
            WorkersCpuMsPerSequence = result.ServerCpuMsPerUnit is { } tree && result.NodeCpuMsPerUnit is { } node ? Math.Round(tree - node, 2) : null,
            RssAfterKiB = result.Memory?.End.RssKiB,
            ChildrenRssAfterKiB = result.Memory?.End.ChildrenRssKiB,
            LoadAverageBefore = result.LoadAverageBefore,
            Result = result,
        };
    }

    private static CompareRatio? Ratio(int connections, List<CompareRun> runs)
    {
        var reference = runs.Where(r => r.Connections == connections && r.Server == ReferenceName).ToList();
        var coordinator = runs.Where(r => r.Connections == connections && r.Server == CoordinatorName).ToList();
        if (reference.Count == 0 || coordinator.Count == 0)
        {
            return null;
        }

        double? Of(Func<CompareRun, double?> figure)
        {
            var ours = coordinator.Select(figure).OfType<double>().ToList();
            var theirs = reference.Select(figure).OfType<double>().ToList();
            return ours.Count > 0 && theirs.Count > 0 && theirs.Average() > 0 ? Math.Round(ours.Average() / theirs.Average(), 2) : null;
        }

        double? Last(Func<CompareRun, double?> figure) =>
            figure(coordinator[^1]) is { } ours && figure(reference[^1]) is { } theirs && theirs > 0 ? Math.Round(ours / theirs, 2) : null;

        return new CompareRatio
        {
            Connections = connections,
            Runs = Math.Min(reference.Count, coordinator.Count),
            SequencesPerSecond = Of(r => r.SequencesPerSecond),
            SequenceP50 = Of(r => r.SequenceP50Ms),
            SequenceP99 = Of(r => r.SequenceP99Ms),
            NotificationsPerSequence = Of(r => r.NotificationsPerSequence),
            ServerCpuPerSequence = Of(r => r.ServerCpuMsPerSequence),
            WorkersCpuPerSequence = Of(r => r.WorkersCpuMsPerSequence),
            RssAfter = Last(r => r.RssAfterKiB),
        };
    }
}
