using System.Diagnostics;
using System.Globalization;

namespace Coordinator.Tools.LoadTest;

/// <summary>What a run measured (also written as JSON with <c>--json</c>).</summary>
public sealed record LoadResult
{
    public required string Mode { get; init; }

    public required string Url { get; init; }

    /// <summary>What <see cref="Completed"/> counts: peer sessions (full), sequences, joins (join-large), or idle peers joined.</summary>
    public required string Unit { get; init; }

    public int? Rooms { get; init; }

    public required int Peers { get; init; }

    public required int Connections { get; init; }

    public int? Iterations { get; init; }

    /// <summary>Sequence mode with <c>--rate</c>: the sequences offered per second.</summary>
    public double? Rate { get; init; }

    public double? DurationSeconds { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required double WarmupSeconds { get; init; }

    public required double MeasuredSeconds { get; init; }

    public required long Completed { get; init; }

    public required double CompletedPerSecond { get; init; }

    public required long Requests { get; init; }

    public required double RequestsPerSecond { get; init; }

    public required long NotificationsSent { get; init; }

    /// <summary>Round trips per request method, plus the timed steps connect, close and the whole sequence / peer session.</summary>
    public required IReadOnlyDictionary<string, LatencySummary> Methods { get; init; }

    /// <summary>From sending the triggering message to the notification's arrival at another socket.</summary>
    public required IReadOnlyDictionary<string, LatencySummary> Notifications { get; init; }

    public required long ErrorCount { get; init; }

    public required IReadOnlyDictionary<string, long> Errors { get; init; }

    public required int ProcessorCount { get; init; }

    public string? LoadAverageBefore { get; init; }

    public string? LoadAverageAfter { get; init; }

    /// <summary>CPU used by the load tool during the measured part, in percent of one core.</summary>
    public required double ClientCpuPercent { get; init; }

    /// <summary>CPU used by <c>--server-pid</c> and its descendants (the node and its workers), in percent of one core.</summary>
    public double? ServerCpuPercent { get; init; }

    /// <summary>The same per process of that tree ("name (pid)"), for those that used at least 0.5% of a core.</summary>
    public IReadOnlyDictionary<string, double>? ServerProcessCpuPercent { get; init; }

    /// <summary>
    /// CPU time of the server tree per completed unit (sequence, join, ...), in milliseconds: with a paced
    /// rate, what one costs at that load, the node's fixed cost spread over it.
    /// </summary>
    public double? ServerCpuMsPerUnit { get; init; }

    /// <summary>The same for the <c>--server-pid</c> process alone (the node, without its workers).</summary>
    public double? NodeCpuMsPerUnit { get; init; }

    /// <summary>How busy the whole machine was during the measured part, in percent of all its cores (other work included).</summary>
    public double? MachineBusyPercent { get; init; }

    /// <summary>
    /// With <c>--server-pid</c>, in every mode but idle and storm (which report their own): the server's memory
    /// at the start of the measured part, its peak (sampled every second) and at the end.
    /// </summary>
    public RunMemory? Memory { get; init; }

    /// <summary>Idle mode only: peers joined and the server's memory with them idle.</summary>
    public IdleResult? Idle { get; init; }

    /// <summary>Storm mode only: what the storm sent, what the idle peers received, and the server's memory around it.</summary>
    public StormResult? Storm { get; init; }

    /// <summary>Where the client payloads came from (<see cref="CapturedPayloads.Source"/>).</summary>
    public required string Session { get; init; }
}

/// <summary>The <c>--server-pid</c> process and its children (the workers), over a run's measured part; VmRSS in KiB.</summary>
public sealed record RunMemory
{
    public required int Pid { get; init; }

    /// <summary>At the start of the measured part (the end of the warm-up).</summary>
    public required MemoryPoint Start { get; init; }

    /// <summary>The highest VmRSS of the process among the part's samples (one a second, start and end included).</summary>
    public required long PeakRssKiB { get; init; }

    /// <summary>The highest sum of its children's VmRSS among the same samples (not necessarily at the same moment).</summary>
    public required long PeakChildrenRssKiB { get; init; }

    /// <summary>When the last unit of work ended.</summary>
    public required MemoryPoint End { get; init; }

    public required int Samples { get; init; }

    /// <summary>The measured part's samples, or null when there were none (the process could not be read).</summary>
    public static RunMemory? From(int pid, IReadOnlyList<MemoryPoint> window) =>
        window.Count == 0 ? null : new RunMemory
        {
            Pid = pid,
            Start = window[0],
            PeakRssKiB = window.Max(p => p.RssKiB),
            PeakChildrenRssKiB = window.Max(p => p.ChildrenRssKiB),
            End = window[^1],
            Samples = window.Count,
        };
}

/// <summary>The run cannot start as asked (e.g. too low an open-file limit); nothing was sent.</summary>
public sealed class RunCannotStartException(string message) : Exception(message);

/// <summary>Runs one load test and returns its figures. The command line and the tests both call this.</summary>
public static class LoadRunner
{
    public static readonly string[] StepOrder =
        ["connect", "queryRoom", "join", "createTransport", "createProducer", "enableConsumer", "close", "sequence", "peer session"];

    private const string WarmupPhase = "warm-up";
    private const string MeasuredPhase = "measured";

    public static readonly string[] NotificationOrder = ["newPeer", "newConsumer", "consumerPaused", "consumerResumed", "peerClosed"];

    public static async Task<LoadResult> RunAsync(LoadOptions options, TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        if (options.Mode == LoadMode.Compare)
        {
            throw new ArgumentException("--mode compare runs through CompareRunner, one sequence run per row");
        }

        OpenFileLimit.EnsureEnough(options);
        var payloads = CapturedPayloads.Load(options.SessionPath);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var finished = new CancellationTokenSource();
        var cpu = new CpuMeter(options.ServerPid);
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = CpuMeter.LoadAverage();
        var runStart = Stopwatch.GetTimestamp();

        // Idle and storm sample the server's memory at their own moments; the others over the measured part.
        var warmsUp = options.EffectiveWarmup > TimeSpan.Zero || options.Mode == LoadMode.JoinLarge;
        await using var memory = options.ServerPid is { } pid && options.Mode is not (LoadMode.Idle or LoadMode.Storm)
            ? new MemoryMonitor(pid, warmsUp ? WarmupPhase : MeasuredPhase, runStart)
            : null;
        CpuReading? frozen = null;
        var context = new RunContext(
            options,
            payloads,
            stop.Token,
            onMeasurementStart: () =>
            {
                cpu.Mark();
                memory?.Enter(MeasuredPhase);
            },
            onMeasurementEnd: () => frozen = cpu.Read());

        var ticker = ProgressAsync(context, progress, runStart, finished.Token);
        // Join-large counts joins, not time; idle's --duration is its settle wait, not a deadline; storm keeps its own time.
        var clock = options.Mode is LoadMode.JoinLarge or LoadMode.Idle or LoadMode.Storm ? Task.CompletedTask : ClockAsync(context, stop, finished.Token);
        IdleResult? idle = null;
        StormResult? storm = null;
        try
        {
            if (options.Mode == LoadMode.Idle)
            {
                idle = await IdleScenario.RunAsync(context, progress);
            }
            else if (options.Mode == LoadMode.Storm)
            {
                storm = await StormScenario.RunAsync(context, progress);
            }
            else
            {
                await (options.Mode switch
                {
                    LoadMode.Sequence => Scenarios.SequenceAsync(context),
                    LoadMode.Frontend => FrontendScenario.RunAsync(context, progress),
                    LoadMode.JoinLarge => Scenarios.JoinLargeAsync(context, progress),
                    _ => Scenarios.FullAsync(context),
                });
            }
        }
        finally
        {
            finished.Cancel();
            await Task.WhenAll(ticker, clock);
        }

        var end = context.MeasurementEnd ?? Stopwatch.GetTimestamp();
        memory?.SampleNow();
        var (clientCpu, serverCpu, nodeCpu, serverProcesses, machineBusy) = frozen ?? cpu.Read();
        var recorder = context.Recorder;
        var measured = Stopwatch.GetElapsedTime(context.MeasurementStart, end).TotalSeconds;
        return new LoadResult
        {
            Mode = LoadOptions.ModeName(options.Mode),
            Url = options.Url.ToString(),
            Unit = RunUnit.Plural(options.Mode),
            Rooms = options.Mode == LoadMode.Full ? options.EffectiveRooms : null,
            Peers = options.EffectivePeers,
            Connections = options.EffectiveConnections,
            Iterations = options.EffectiveIterations,
            Rate = options.Rate,
            DurationSeconds = options.EffectiveDuration?.TotalSeconds,
            StartedAt = startedAt,
            WarmupSeconds = context.WarmedUp ? Math.Round(Stopwatch.GetElapsedTime(runStart, context.MeasurementStart).TotalSeconds, 3) : 0,
            MeasuredSeconds = Math.Round(measured, 3),
            Completed = recorder.Completed,
            CompletedPerSecond = Math.Round(recorder.Completed / measured, 1),
            Requests = recorder.Requests,
            RequestsPerSecond = Math.Round(recorder.Requests / measured, 1),
            NotificationsSent = recorder.NotificationsSent,
            Methods = recorder.StepSummaries(StepOrder),
            Notifications = recorder.NotificationSummaries(NotificationOrder),
            ErrorCount = recorder.ErrorCount,
            Errors = recorder.Errors(),
            ProcessorCount = Environment.ProcessorCount,
            LoadAverageBefore = loadBefore,
            LoadAverageAfter = CpuMeter.LoadAverage(),
            ClientCpuPercent = clientCpu,
            ServerCpuPercent = serverCpu,
            ServerProcessCpuPercent = serverProcesses,
            // Idle peers cost memory, not CPU per peer: the figure would only spread the join phase.
            ServerCpuMsPerUnit = options.Mode == LoadMode.Idle ? null : CpuMsPerUnit(serverCpu, recorder.Completed, measured),
            NodeCpuMsPerUnit = options.Mode == LoadMode.Idle ? null : CpuMsPerUnit(nodeCpu, recorder.Completed, measured),
            MachineBusyPercent = machineBusy,
            Memory = memory is null ? null : RunMemory.From(memory.Pid, [.. memory.Points.Where(p => p.Phase == MeasuredPhase)]),
            Idle = idle,
            Storm = storm,
            Session = payloads.Source,
        };
    }

    /// <summary>Percent of one core over the measured seconds, turned into milliseconds of CPU per completed unit.</summary>
    private static double? CpuMsPerUnit(double? percentOfOneCore, long completed, double measuredSeconds) =>
        percentOfOneCore is { } percent && completed > 0
            ? Math.Round(10 * percent * measuredSeconds / completed, 2)
            : null;

    /// <summary>Ends the warm-up, then stops new work when the duration is over.</summary>
    private static async Task ClockAsync(RunContext context, CancellationTokenSource stop, CancellationToken finished)
    {
        try
        {
            if (context.Options.EffectiveWarmup > TimeSpan.Zero)
            {
                await Task.Delay(context.Options.EffectiveWarmup, finished);
                context.BeginMeasurement();
            }

            if (context.Options.EffectiveDuration is { } duration)
            {
                await Task.Delay(duration, finished);
                await stop.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>About once a second: forget old triggers and show elapsed, done, rate and errors.</summary>
    private static async Task ProgressAsync(RunContext context, TextWriter? progress, long runStart, CancellationToken finished)
    {
        var interactive = progress is not null && ReferenceEquals(progress, Console.Error) && !Console.IsErrorRedirected;
        var unit = RunUnit.Plural(context.Options.Mode);
        Recorder? last = null;
        long lastCompleted = 0;
        long lastRequests = 0;
        var lastTime = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(finished))
            {
                context.Sweep();
                if (progress is null)
                {
                    continue;
                }

                var recorder = context.Recorder;
                if (!ReferenceEquals(recorder, last))
                {
                    (last, lastCompleted, lastRequests) = (recorder, 0, 0);
                }

                var now = Stopwatch.GetTimestamp();
                var seconds = Stopwatch.GetElapsedTime(lastTime, now).TotalSeconds;
                var (completed, requests) = (recorder.Completed, recorder.Requests);
                var phase = context.WarmedUp || context.Options.EffectiveWarmup == TimeSpan.Zero ? "" : " warm-up";
                var line = string.Create(
                    CultureInfo.InvariantCulture,
                    $"[{Stopwatch.GetElapsedTime(runStart, now).TotalSeconds,6:0.0} s{phase}] {unit} {completed:N0} ({(completed - lastCompleted) / seconds:N0}/s)  requests {requests:N0} ({(requests - lastRequests) / seconds:N0}/s)  errors {recorder.ErrorCount:N0}{(context.ProgressNote?.Invoke() is { } note ? $"  {note}" : "")}");
                (lastCompleted, lastRequests, lastTime) = (completed, requests, now);
                if (interactive)
                {
                    progress.Write($"\r{line,-110}");
                }
                else
                {
                    progress.WriteLine(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (interactive)
        {
            progress!.WriteLine();
        }
    }
}

/// <summary>What <see cref="CpuMeter.Read"/> found, in percent of one core (the machine: of all its cores).</summary>
internal sealed record CpuReading(double Client, double? Server, double? Root, IReadOnlyDictionary<string, double>? Processes, double? MachineBusy);

/// <summary>CPU time of this process and, when given, of a server process tree (Linux /proc), over the measured part.</summary>
internal sealed class CpuMeter(int? serverPid)
{
    private const double ClockTicksPerSecond = 100;
    private long _wallStart = Stopwatch.GetTimestamp();
    private TimeSpan _clientStart = Process.GetCurrentProcess().TotalProcessorTime;
    private Dictionary<int, (string Name, long Ticks)> _serverStart = ServerTree(serverPid);
    private (long Busy, long Total)? _machineStart = MachineTicks();

    public void Mark()
    {
        _machineStart = MachineTicks();
        _wallStart = Stopwatch.GetTimestamp();
        _clientStart = Process.GetCurrentProcess().TotalProcessorTime;
        _serverStart = ServerTree(serverPid);
    }

    /// <summary>
    /// Percent of one core since <see cref="Mark"/>: this process, the server tree in all, its root process
    /// alone, and each process of the tree that used any (e.g. the node and each mediasoup worker); and how
    /// busy the whole machine was.
    /// </summary>
    public CpuReading Read()
    {
        var wall = Stopwatch.GetElapsedTime(_wallStart).TotalSeconds;
        var client = Math.Round(100 * (Process.GetCurrentProcess().TotalProcessorTime - _clientStart).TotalSeconds / wall, 1);
        var machine = MachineBusyPercent();
        if (serverPid is null)
        {
            return new CpuReading(client, null, null, null, machine);
        }

        var processes = new Dictionary<string, double>();
        double total = 0, root = 0;
        foreach (var (pid, (name, ticks)) in ServerTree(serverPid))
        {
            var used = (ticks - (_serverStart.TryGetValue(pid, out var start) ? start.Ticks : 0)) / ClockTicksPerSecond;
            total += used;
            if (pid == serverPid)
            {
                root = used;
            }

            if (used / wall >= 0.005)
            {
                processes[$"{name} ({pid})"] = Math.Round(100 * used / wall, 1);
            }
        }

        return new CpuReading(client, Math.Round(100 * total / wall, 1), Math.Round(100 * root / wall, 1), processes, machine);
    }

    /// <summary>How busy all the machine's cores were since <see cref="Mark"/> (100% = every core), whoever used them.</summary>
    private double? MachineBusyPercent() =>
        MachineTicks() is { } now && _machineStart is { } start && now.Total > start.Total
            ? Math.Round(100.0 * (now.Busy - start.Busy) / (now.Total - start.Total), 1)
            : null;

    public static string? LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The first line of /proc/stat: busy (all but idle and iowait) and total ticks.</summary>
    private static (long Busy, long Total)? MachineTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Name and utime + stime (clock ticks) of the process and all its descendants.</summary>
    private static Dictionary<int, (string Name, long Ticks)> ServerTree(int? root) =>
        root is { } pid ? ProcessTree.Members(pid).ToDictionary(entry => entry.Pid, entry => (entry.Name, entry.CpuTicks)) : [];
}
