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
            "join-large" => $"a room of {result.Peers} publishing peers, {result.Connections} joiner(s) at a time",
            "idle" => $"{result.Connections} idle peers in rooms of {result.Peers}, {IdleScenario.OpenConcurrency} connecting at a time",
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

        if (result.Idle is { } idle)
        {
            output.WriteLine();
            WriteIdle(output, idle);
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

    public static void WriteJson(LoadResult result, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, JsonSerializer.Serialize(result, JsonOptions) + "\n");
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
