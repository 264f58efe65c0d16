using System.Globalization;
using System.Text.Json;

namespace Coordinator.Tools.LoadTest;

/// <summary>The final table (stdout) and the JSON file.</summary>
public static class Report
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void WriteTable(LoadResult result, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Coordinator load test: mode {result.Mode} against {result.Url}"));
        var shape = result.Mode switch
        {
            "sequence" => $"{result.Connections} connections, rooms of {result.Peers}{(result.Rate is { } rate ? $", {rate.ToString("0.#", c)} sequences/s offered" : "")}",
            "frontend" => $"{result.Connections} sessions in flight on one frontend connection, rooms of {result.Peers}{(result.Rate is { } offered ? $", {offered.ToString("0.#", c)} sequences/s offered" : "")}",
            "join-large" => $"a room of {result.Peers} publishing peers, {result.Connections} joiner(s) at a time",
            "idle" => $"{result.Connections} idle peers in rooms of {result.Peers}, {IdleScenario.OpenConcurrency} connecting at a time",
            "storm" when result.Storm is { } storm => $"{storm.IdlePeers} idle and {storm.StormPeers} storming peers in one room; each storming peer {storm.RatePerPeer.ToString("0.#", c)} times a second: createProducer (audio, appData {storm.AppDataBytes:N0} B) then closeProducer",
            _ => $"{result.Rooms} rooms x {result.Peers} peers, up to {result.Connections} connections",
        };
        output.WriteLine(string.Create(c, $"{shape}; measured {result.MeasuredSeconds:0.0} s{(result.WarmupSeconds > 0 ? $" after {result.WarmupSeconds:0.0} s of warm-up" : "")}"));
        output.WriteLine(string.Create(c, $"{result.Unit}: {result.Completed:N0} ({result.CompletedPerSecond:N1}/s)   requests: {result.Requests:N0} ({result.RequestsPerSecond:N1}/s)   client notifications sent: {result.NotificationsSent:N0}   errors: {result.ErrorCount:N0}"));
        output.WriteLine(string.Create(c, $"load average {result.LoadAverageBefore} (before), {result.LoadAverageAfter} (after) on {result.ProcessorCount} CPUs; CPU of this tool {result.ClientCpuPercent:0}%{(result.ServerCpuPercent is { } server ? $", of the server process tree {server:0}%" : "")} (100% = one core)"));
        if (result.MachineBusyPercent is { } busy)
        {
            output.WriteLine(string.Create(c, $"the whole machine was {busy:0}% busy (all {result.ProcessorCount} cores, other work included)"));
        }

        if (result.ServerProcessCpuPercent is { Count: > 0 } processes)
        {
            output.WriteLine("server CPU by process: " + string.Join(", ", processes.Select(p => string.Create(c, $"{p.Key} {p.Value:0}%"))));
        }

        if (result.ServerCpuMsPerUnit is { } treePerUnit && result.NodeCpuMsPerUnit is { } nodePerUnit)
        {
            output.WriteLine(string.Create(c, $"server CPU per {RunUnit.Singular(LoadOptions.ParseMode(result.Mode))}: {treePerUnit:0.00} ms (node and workers), {nodePerUnit:0.00} ms (node alone)"));
        }

        if (result.Memory is { } memory)
        {
            output.WriteLine();
            WriteRunMemory(output, memory);
        }

        if (result.Idle is { } idle)
        {
            output.WriteLine();
            WriteIdle(output, idle);
        }

        if (result.Storm is { } stormResult)
        {
            output.WriteLine();
            WriteStorm(output, stormResult, result.ServerCpuPercent);
        }

        output.WriteLine();
        WriteLatencies(output, "request / step", result.Methods);
        output.WriteLine();
        WriteLatencies(output, "notification", result.Notifications);
        output.WriteLine("  (notification: from sending the triggering message — join, createProducer, pauseProducer, resumeProducer, leave — to its arrival at another socket)");
        output.WriteLine();
        output.WriteLine("errors");
        if (result.Errors.Count == 0)
        {
            output.WriteLine("  none");
        }

        foreach (var (reason, count) in result.Errors)
        {
            output.WriteLine(string.Create(c, $"  {count,8:N0}  {reason}"));
        }
    }

    public static void WriteJson(LoadResult result, string path) => WriteJsonFile(result, path);

    public static void WriteJson(CompareResult result, string path) => WriteJsonFile(result, path);

    private static void WriteJsonFile<T>(T result, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, JsonSerializer.Serialize(result, JsonOptions) + "\n");
    }

    public static void WriteTable(CompareResult result, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        string Server(CompareServer server) => $"{server.Name} {server.Url}{(server.Pid is { } pid ? $" (pid {pid})" : "")}";
        output.WriteLine($"Coordinator load test: mode compare, {Server(result.Reference)} against {Server(result.Coordinator)}");
        output.WriteLine(string.Create(c, $"the sequence workload (connect, join, createTransport, createProducer audio, leave and close) in rooms of {result.Peers}; each run {result.WarmupSeconds:0.#} s of warm-up (each server's first: {result.FirstWarmupSeconds:0.#} s), then {result.DurationSeconds:0.#} s measured"));
        foreach (var server in new[] { result.Reference, result.Coordinator })
        {
            if (server.FirstSample is { } first)
            {
                output.WriteLine(string.Create(c, $"{server.Name} at the first sample (after start, if started for this sitting): process VmRSS {Mib(first.RssKiB)} MiB, its {Children(first.Children)} {Mib(first.ChildrenRssKiB)} MiB"));
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(c, $"{"run",3} {"server",-11} {"conns",5} {"round",5} {"warm-up",7} {"seq/s",8} {"p50 ms",7} {"p99 ms",7} {"errors",6} {"notif/seq",9} {"CPU/seq: process",16} {"workers",8} {"RSS after: process",18} {"children",9} {"load avg before",15}"));
        foreach (var run in result.Runs)
        {
            output.WriteLine(string.Create(c, $"{run.Number,3} {run.Server,-11} {run.Connections,5} {run.Round,5} {$"{run.WarmupSeconds:0} s",7} {run.SequencesPerSecond,8:N1} {run.SequenceP50Ms,7:0.0} {run.SequenceP99Ms,7:0.0} {run.ErrorCount,6:N0} {Number(run.NotificationsPerSequence),9} {Ms(run.ServerCpuMsPerSequence),16} {Ms(run.WorkersCpuMsPerSequence),8} {MibOrDash(run.RssAfterKiB),18} {MibOrDash(run.ChildrenRssAfterKiB),9} {run.LoadAverageBefore?.Split(' ')[0] ?? "-",15}"));
        }

        output.WriteLine("  (notif/seq: notifications the room-mates received per sequence, the work besides the requests; CPU/seq: milliseconds of CPU per sequence, of the server process and of its children summed; RSS in MiB when the run's last sequence ended)");
        output.WriteLine();
        foreach (var ratio in result.Ratios)
        {
            output.WriteLine(string.Create(c, $"{ratio.Connections} in flight, Coordinator / reference (means of {ratio.Runs} run{(ratio.Runs == 1 ? "" : "s")} each): sequences/s {Times(ratio.SequencesPerSecond)}, p50 {Times(ratio.SequenceP50)}, p99 {Times(ratio.SequenceP99)}, notifications per sequence {Times(ratio.NotificationsPerSequence)}, CPU per sequence: process {Times(ratio.ServerCpuPerSequence)}, workers {Times(ratio.WorkersCpuPerSequence)}; RSS after the last run {Times(ratio.RssAfter)}"));
        }

        if (!result.Complete)
        {
            output.WriteLine("interrupted: not every run took place");
        }

        output.WriteLine(string.Create(c, $"errors: {result.ErrorCount:N0}{(result.ErrorCount > 0 ? " (a run with errors is not a measurement: see its errors in the JSON, runs[].result.errors)" : "")}"));
    }

    private static string Children(int count) => count == 1 ? "child process (worker)" : $"{count} child processes (workers)";

    private static string Ms(double? ms) => ms is { } value ? value.ToString("0.00", CultureInfo.InvariantCulture) + " ms" : "-";

    private static string Number(double? value) => value is { } known ? known.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string MibOrDash(long? kib) => kib is { } value ? Mib(value) : "-";

    private static string Times(double? ratio) => ratio is { } value ? value.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";

    /// <summary>KiB as MiB with one decimal.</summary>
    public static string Mib(long kib) => (kib / 1024.0).ToString("N1", CultureInfo.InvariantCulture);

    private static void WriteRunMemory(TextWriter output, RunMemory memory)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"server memory, VmRSS in MiB ({memory.Samples} samples)  {"start",10} {"peak",10} {"end",10}"));
        output.WriteLine(string.Create(c, $"  {$"process {memory.Pid}",-36} {Mib(memory.Start.RssKiB),10} {Mib(memory.PeakRssKiB),10} {Mib(memory.End.RssKiB),10}"));
        output.WriteLine(string.Create(c, $"  {$"its {Children(memory.End.Children)}, summed",-36} {Mib(memory.Start.ChildrenRssKiB),10} {Mib(memory.PeakChildrenRssKiB),10} {Mib(memory.End.ChildrenRssKiB),10}"));
        output.WriteLine("  (start: when the measured part began; peak: the highest of the samples taken every second; end: when the last unit ended)");
    }

    private static void WriteStorm(TextWriter output, StormResult storm, double? serverCpuDuringStorm)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"room {storm.Room}: settled {storm.SettleSeconds:0.0} s, storm {storm.StormSeconds:0.0} s, then {storm.AfterSeconds:0.0} s after it"));
        output.WriteLine(string.Create(c, $"producers created {storm.ProducersCreated:N0} and closed {storm.ProducersClosed:N0}: {storm.ProducersCreated / Math.Max(storm.StormSeconds, 0.001):N1}/s in all, {storm.StormPeers * storm.RatePerPeer:N1}/s offered"));
        output.WriteLine(string.Create(c, $"at the {storm.IdlePeers} idle peers: newConsumer {storm.NewConsumerReceived:N0} of {storm.NewConsumerExpected:N0} expected, consumerClosed {storm.ConsumerClosedReceived:N0} of {storm.ConsumerClosedExpected:N0}"));
        if (serverCpuDuringStorm is { } during)
        {
            output.WriteLine(string.Create(c, $"server CPU (process tree, 100% = one core): {during:0}% during the storm, {storm.ServerCpuPercentAfter:0}% after it"));
        }

        if (storm.Memory is not { } memory)
        {
            output.WriteLine(storm.MemoryNote);
            return;
        }

        string Met(bool met) => met ? "met" : "MISSED";
        var rows = new (string Label, MemoryPoint Point, long Children, string Verdict)[]
        {
            ($"pre-storm (t = {memory.PreStorm.Seconds:0.0} s)", memory.PreStorm, memory.PreStorm.ChildrenRssKiB, ""),
            ($"max during the storm (t = {memory.MaxDuring.Seconds:0.0} s)", memory.MaxDuring, memory.MaxChildrenRssKiBDuring,
                $"{memory.MaxRatio:0.00}x pre-storm; target <= {StormMemory.MaxRatioTarget:0.0#}x: {Met(memory.MaxWithinTarget)}"),
            ($"{storm.AfterSeconds:0} s after it (t = {memory.After.Seconds:0.0} s)", memory.After, memory.After.ChildrenRssKiB,
                $"{memory.AfterDifferenceMiB:+0.0;-0.0;0.0} MiB from pre-storm; target <= +{StormMemory.AfterDifferenceTargetMiB:0} MiB: {Met(memory.AfterWithinTarget)}"),
        };
        output.WriteLine(string.Create(c, $"{"server memory, VmRSS in MiB",-42} {$"process {memory.Pid}",14} {"children",10}"));
        foreach (var (label, point, children, verdict) in rows)
        {
            output.WriteLine(string.Create(c, $"  {label,-40} {Mib(point.RssKiB),14} {Mib(children),10}   {verdict}").TrimEnd());
        }

        output.WriteLine("  (children: the server's child processes, its workers, summed; t: seconds since the run began; every sample is in the JSON)");
    }

    private static void WriteIdle(TextWriter output, IdleResult idle)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{idle.JoinedPeers:N0} peers joined and idle; joins took {idle.JoinSeconds:0.0} s; memory read {idle.SettleSeconds:0.0} s later{(idle.Settled ? "" : " (it was still moving)")}"));
        if (idle.Memory is not { } memory)
        {
            output.WriteLine(idle.MemoryNote);
            return;
        }

        output.WriteLine(string.Create(c, $"server memory, process {memory.Pid} alone (KiB)  {"VmRSS",12} {"RssAnon",12}"));
        output.WriteLine(string.Create(c, $"  baseline (no peers)                {memory.Baseline.RssKiB,12:N0} {memory.Baseline.RssAnonKiB,12:N0}"));
        output.WriteLine(string.Create(c, $"  {memory.HalfJoinedPeers,6:N0} peers joined, idle          {memory.HalfJoined.RssKiB,12:N0} {memory.HalfJoined.RssAnonKiB,12:N0}"));
        output.WriteLine(string.Create(c, $"  {idle.JoinedPeers,6:N0} peers joined, idle          {memory.Joined.RssKiB,12:N0} {memory.Joined.RssAnonKiB,12:N0}"));
        if (memory.Closed is { } closed)
        {
            output.WriteLine(string.Create(c, $"  after all left and closed          {closed.RssKiB,12:N0} {closed.RssAnonKiB,12:N0}"));
        }

        output.WriteLine(string.Create(c, $"  per idle peer (idle - baseline)    {memory.RssKiBPerPeer,12:0.00} {memory.RssAnonKiBPerPeer,12:0.00}"));
        output.WriteLine(string.Create(c, $"  per idle peer of the second half   {memory.MarginalRssKiBPerPeer,12:0.00}                (target: under 20 KiB)"));
    }

    private static void WriteLatencies(TextWriter output, string title, IReadOnlyDictionary<string, LatencySummary> rows)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{title,-16} {"count",9} {"mean",9} {"p50",9} {"p95",9} {"p99",9} {"max",9}   (ms)"));
        if (rows.Count == 0)
        {
            output.WriteLine("  (none)");
        }

        foreach (var (name, s) in rows)
        {
            output.WriteLine(string.Create(c, $"{name,-16} {s.Count,9:N0} {s.Mean,9:0.00} {s.P50,9:0.00} {s.P95,9:0.00} {s.P99,9:0.00} {s.Max,9:0.00}"));
        }
    }
}
