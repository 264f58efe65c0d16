using System.Globalization;
using Coordinator.TestSupport;
using Coordinator.Tools.LoadTest;

namespace Coordinator.LoadTool.Tests;

/// <summary>
/// The load tool against the mediasoup v2 reference server of <c>tools/reference-server</c>, as
/// docs/performance.md has a user measure it: short runs that must complete without an error. In the
/// embedded node's collection so that no other load run shares the cores with them.
/// </summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class ReferenceServerTests(ReferenceServer server, EmbeddedNode node) : IClassFixture<ReferenceServer>
{
    [Fact]
    public void The_ready_line_names_the_server_and_its_worker_which_is_its_child()
    {
        Assert.True(server.Pid > 0);
        var worker = Assert.Single(server.WorkerPids);

        // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces or parentheses, so split after the last ')'.
        var stat = File.ReadAllText($"/proc/{worker}/stat");
        var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
        var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        Assert.StartsWith("mediasoup-worke", name);
        Assert.Equal(server.Pid, parent);
    }

    [Fact]
    public async Task A_sequence_run_completes_without_errors_and_measures_the_server_and_its_worker()
    {
        // A fixed, small number of sequences: under heavy load the reference itself rarely fails a step
        // (docs/performance.md#the-reference-servers-own-errors), so the run stays short.
        var result = await RunAsync(new LoadOptions
        {
            Mode = LoadMode.Sequence,
            Connections = 8,
            Peers = 4,
            Iterations = 25,
            Warmup = TimeSpan.Zero,
            ServerPid = server.Pid,
        });

        Assert.True(result.ErrorCount == 0, $"{result.ErrorCount} errors: {string.Join("; ", result.Errors.Select(e => $"{e.Value} x {e.Key}"))}");
        Assert.Equal(8 * 25, result.Completed);
        foreach (var method in new[] { "connect", "join", "createTransport", "createProducer", "close", "sequence" })
        {
            Assert.True(result.Methods.TryGetValue(method, out var summary) && summary.Count > 0, $"no samples for {method}");
        }

        foreach (var notification in new[] { "newPeer", "newConsumer", "peerClosed" })
        {
            Assert.True(result.Notifications.TryGetValue(notification, out var summary) && summary.Count > 0, $"no samples for {notification}");
        }

        // CPU per sequence: the Node.js process alone, and with its worker (which does part of every sequence).
        var treePerSequence = Assert.IsType<double>(result.ServerCpuMsPerUnit);
        var nodePerSequence = Assert.IsType<double>(result.NodeCpuMsPerUnit);
        Assert.True(nodePerSequence > 0, $"node CPU per sequence {nodePerSequence} ms");
        Assert.True(treePerSequence > nodePerSequence, $"tree {treePerSequence} ms, node alone {nodePerSequence} ms: the worker's share is missing");
        Assert.Contains(result.ServerProcessCpuPercent!.Keys, process => process.StartsWith("mediasoup-worke", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_full_run_of_2_rooms_of_3_peers_gets_every_consumer_and_notification()
    {
        var result = await RunAsync(new LoadOptions { Mode = LoadMode.Full, Rooms = 2, Peers = 3, Iterations = 1 });

        Assert.True(result.ErrorCount == 0, $"{result.ErrorCount} errors: {string.Join("; ", result.Errors.Select(e => $"{e.Value} x {e.Key}"))}");
        Assert.Equal(6, result.Completed);

        // Per peer: two transports, two producers, one consumer per producer of the two others.
        Assert.Equal(12, result.Methods["createTransport"].Count);
        Assert.Equal(12, result.Methods["createProducer"].Count);
        Assert.Equal(24, result.Methods["enableConsumer"].Count);
        // Peers join and publish concurrently: one that joins after another has published gets those
        // consumers in its join response instead of as newConsumer (24 consumers in all, as enabled above).
        Assert.InRange(result.Notifications["newConsumer"].Count, 1, 24);
        Assert.Equal(12, result.Notifications["consumerPaused"].Count);
        Assert.Equal(12, result.Notifications["consumerResumed"].Count);
        Assert.Equal(6, result.Notifications["peerClosed"].Count);
    }

    [Fact]
    public async Task Compare_alternates_the_reference_and_the_node_and_prints_every_row_and_the_ratios()
    {
        // The embedded node runs in this process, so its pid is ours.
        var options = new LoadOptions
        {
            Mode = LoadMode.Compare,
            Url = node.BaseUri,
            ServerPid = Environment.ProcessId,
            ReferenceUrl = server.BaseUri,
            ReferencePid = server.Pid,
            Connections = 8,
            ConnectionCounts = [8, 4],
            Rounds = 1,
            Warmup = TimeSpan.FromSeconds(0.5),
            FirstWarmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(1.5),
        };
        using var progress = new StringWriter();
        var result = await CompareRunner.RunAsync(options, progress);

        // Reference first at each count; each server's first run gets the longer warm-up.
        Assert.True(result.Complete);
        Assert.Equal(
            [(CompareRunner.ReferenceName, 8, 1.0), (CompareRunner.CoordinatorName, 8, 1.0), (CompareRunner.ReferenceName, 4, 0.5), (CompareRunner.CoordinatorName, 4, 0.5)],
            result.Runs.Select(r => (r.Server, r.Connections, Math.Round(r.WarmupSeconds, 1))));
        foreach (var run in result.Runs)
        {
            Assert.True(run.ErrorCount == 0, $"{run.Server}: {string.Join("; ", run.Result.Errors.Select(e => $"{e.Value} x {e.Key}"))}");
            Assert.True(run.Result.Completed > run.Connections, $"{run.Server}: only {run.Result.Completed} sequences");
            Assert.Equal(run.Result.CompletedPerSecond, run.SequencesPerSecond);
            Assert.True(run.SequenceP99Ms >= run.SequenceP50Ms && run.SequenceP50Ms > 0);
            Assert.Equal(Math.Round(run.Result.Notifications.Values.Sum(n => n.Count) / (double)run.Result.Completed, 2), run.NotificationsPerSequence);
            Assert.True(run.NotificationsPerSequence > 0, $"{run.Server}: no notification received");
            Assert.True(run.ServerCpuMsPerSequence > 0, $"{run.Server}: CPU per sequence {run.ServerCpuMsPerSequence}");
            Assert.True(run.WorkersCpuMsPerSequence >= 0, $"{run.Server}: workers' CPU per sequence {run.WorkersCpuMsPerSequence}");
            Assert.True(run.RssAfterKiB > 0 && run.ChildrenRssAfterKiB > 0, $"{run.Server}: RSS after {run.RssAfterKiB} KiB, children {run.ChildrenRssAfterKiB} KiB");
            Assert.Equal(run.Server == CompareRunner.ReferenceName ? server.Pid : Environment.ProcessId, run.Result.Memory!.Pid);
        }

        foreach (var first in new[] { result.Reference.FirstSample, result.Coordinator.FirstSample })
        {
            Assert.True(first is { RssKiB: > 0, ChildrenRssKiB: > 0 }, $"first sample {first}");
        }

        Assert.Equal([8, 4], result.Ratios.Select(r => r.Connections));
        foreach (var ratio in result.Ratios)
        {
            var (theirs, ours) = (result.Runs.Single(r => r.Connections == ratio.Connections && r.Server == CompareRunner.ReferenceName), result.Runs.Single(r => r.Connections == ratio.Connections && r.Server == CompareRunner.CoordinatorName));
            Assert.Equal(1, ratio.Runs);
            Assert.Equal(Math.Round(ours.SequencesPerSecond / theirs.SequencesPerSecond, 2), ratio.SequencesPerSecond);
            Assert.Equal(Math.Round(ours.SequenceP99Ms / theirs.SequenceP99Ms, 2), ratio.SequenceP99);
            Assert.Equal(Math.Round(ours.NotificationsPerSequence!.Value / theirs.NotificationsPerSequence!.Value, 2), ratio.NotificationsPerSequence);
            Assert.True(ratio.ServerCpuPerSequence > 0 && ratio.RssAfter > 0);
        }

        var table = new StringWriter();
        Report.WriteTable(result, table);
        Assert.Contains("mode compare", table.ToString());
        Assert.Contains("8 in flight, Coordinator / reference (means of 1 run each): sequences/s ", table.ToString());
        Assert.Contains("4 in flight, Coordinator / reference", table.ToString());
        Assert.Contains(", notifications per sequence ", table.ToString());
        Assert.Contains("run 4/4: Coordinator", progress.ToString());

        var path = Path.Combine(Directory.CreateTempSubdirectory("loadtool-compare-").FullName, "compare.json");
        try
        {
            Report.WriteJson(result, path);
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            var runs = document.RootElement.GetProperty("runs");
            Assert.Equal(4, runs.GetArrayLength());
            Assert.Equal(result.Runs[0].Result.Completed, runs[0].GetProperty("result").GetProperty("completed").GetInt64());
            Assert.Equal(result.Ratios[0].SequencesPerSecond, document.RootElement.GetProperty("ratios")[0].GetProperty("sequencesPerSecond").GetDouble());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    private async Task<LoadResult> RunAsync(LoadOptions options)
    {
        options = options with { Url = server.BaseUri };
        using var progress = new StringWriter();
        var result = await LoadRunner.RunAsync(options, progress);
        var table = new StringWriter();
        Report.WriteTable(result, table);
        Assert.Contains($"against {server.BaseUri}", table.ToString());
        return result;
    }
}
