using System.Text.Json;
using Coordinator.TestSupport;
using Coordinator.Tools.LoadTest;

namespace Coordinator.LoadTool.Tests;

/// <summary>Short, bounded runs of the load tool's engine against an embedded node with a real worker.</summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class LoadRunTests(EmbeddedNode node) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("loadtool-tests-").FullName;
    private string _table = "";

    /// <summary>8 connections in rooms of 4, 2 s measured after 0.5 s of warm-up.</summary>
    private static readonly LoadOptions ShortSequence = new()
    {
        Mode = LoadMode.Sequence,
        Connections = 8,
        Peers = 4,
        Duration = TimeSpan.FromSeconds(2),
        Warmup = TimeSpan.FromSeconds(0.5),
    };

    [Fact]
    public async Task A_full_run_of_2_rooms_of_3_peers_has_no_errors_and_samples_for_every_method()
    {
        var result = await RunAsync(new LoadOptions { Mode = LoadMode.Full, Rooms = 2, Peers = 3, Iterations = 1 });

        Assert.Equal(0, result.ErrorCount);
        Assert.Empty(result.Errors);
        Assert.Equal(6, result.Completed);
        foreach (var method in new[] { "connect", "queryRoom", "join", "createTransport", "createProducer", "enableConsumer", "close", "peer session" })
        {
            Assert.True(result.Methods.TryGetValue(method, out var summary) && summary.Count > 0, $"no samples for {method}");
        }

        // Per peer: two transports, two producers, and one consumer per producer of the two others.
        Assert.Equal(12, result.Methods["createTransport"].Count);
        Assert.Equal(12, result.Methods["createProducer"].Count);
        Assert.Equal(24, result.Methods["enableConsumer"].Count);
        foreach (var notification in new[] { "newPeer", "newConsumer", "consumerPaused", "consumerResumed", "peerClosed" })
        {
            Assert.True(result.Notifications.TryGetValue(notification, out var summary) && summary.Count > 0, $"no samples for {notification}");
        }

        // Peers join and publish concurrently: one that joins after another has published gets those
        // consumers in its join response instead of as newConsumer (24 consumers in all, as enabled above).
        Assert.InRange(result.Notifications["newConsumer"].Count, 1, 24);
        Assert.Equal(12, result.Notifications["consumerPaused"].Count);
        Assert.Equal(6, result.Notifications["peerClosed"].Count);
        AssertJsonFile(result);
    }

    [Fact]
    public async Task A_sequence_run_repeats_the_sequence_for_its_duration_without_errors()
    {
        // The embedded node runs in this process, so its pid is ours.
        var result = await RunAsync(ShortSequence with { ServerPid = Environment.ProcessId });

        Assert.Equal(0, result.ErrorCount);
        Assert.True(result.Completed > 8, $"only {result.Completed} sequences");

        // CPU per sequence: the tree's share (this process and the worker) over the sequences completed.
        var treePerSequence = Assert.IsType<double>(result.ServerCpuMsPerUnit);
        var nodePerSequence = Assert.IsType<double>(result.NodeCpuMsPerUnit);
        Assert.True(nodePerSequence > 0, $"node CPU per sequence {nodePerSequence} ms");
        Assert.True(treePerSequence >= nodePerSequence, $"tree {treePerSequence} ms < node {nodePerSequence} ms");
        Assert.Contains("server CPU per sequence: ", _table);
        Assert.True(result.WarmupSeconds > 0);

        // Memory over the measured part: the node (this process) and its children (the worker), sampled every second.
        var memory = Assert.IsType<RunMemory>(result.Memory);
        Assert.Equal(Environment.ProcessId, memory.Pid);
        Assert.True(memory.Samples >= 3, $"{memory.Samples} samples in 2 s");
        Assert.True(memory.Start.RssKiB > 0 && memory.End.RssKiB > 0);
        Assert.True(memory.PeakRssKiB >= Math.Max(memory.Start.RssKiB, memory.End.RssKiB));
        Assert.True(memory.End.Children >= 1 && memory.End.ChildrenRssKiB > 0, $"{memory.End.Children} children, {memory.End.ChildrenRssKiB} KiB");
        Assert.True(memory.PeakChildrenRssKiB >= memory.End.ChildrenRssKiB);
        Assert.True(memory.Start.Seconds >= result.WarmupSeconds, "the first sample of the measured part is taken as the warm-up ends");
        Assert.Contains("server memory, VmRSS in MiB", _table);
        foreach (var method in new[] { "connect", "join", "createTransport", "createProducer", "close", "sequence" })
        {
            Assert.True(result.Methods.TryGetValue(method, out var summary) && summary.Count > 0, $"no samples for {method}");
        }

        Assert.False(result.Methods.ContainsKey("queryRoom"));
        foreach (var notification in new[] { "newPeer", "newConsumer", "peerClosed" })
        {
            Assert.True(result.Notifications.TryGetValue(notification, out var summary) && summary.Count > 0, $"no samples for {notification}");
        }

        AssertJsonFile(result);
    }

    [Fact]
    public async Task A_paced_sequence_run_starts_no_more_sequences_than_its_rate()
    {
        var result = await RunAsync(ShortSequence with { Rate = 10 });

        // Unpaced, 8 connections complete far more than this in 2.5 s (the run above asks for > 8 in 2 s
        // of measurement). Paced at 10 a second, a room's 4 peers start together every 0.4 s, warm-up
        // included: groups at 0, 0.4, … 2.4 s, so at most 7 groups of 4.
        Assert.Equal(0, result.ErrorCount);
        Assert.InRange(result.Completed, 1, 7 * 4);
        Assert.Contains("10 sequences/s offered", _table);

        // Consecutive turns share a room, so the paced peers still see each other's notifications.
        Assert.True(result.Notifications.TryGetValue("newPeer", out var newPeer) && newPeer.Count > 0, "no newPeer between paced peers");
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "result.json")));
        Assert.Equal(10, document.RootElement.GetProperty("rate").GetDouble());
    }

    [Fact]
    public async Task A_short_storm_reaches_every_idle_peer_and_reports_the_nodes_memory_around_it()
    {
        // The embedded node runs in this process, so its pid is ours.
        var result = await RunAsync(new LoadOptions
        {
            Mode = LoadMode.Storm,
            Peers = 5,
            StormPeers = 2,
            Rate = 5,
            Duration = TimeSpan.FromSeconds(2),
            After = TimeSpan.FromSeconds(2),
            Warmup = TimeSpan.FromSeconds(0.5),
            ServerPid = Environment.ProcessId,
        });

        Assert.True(result.ErrorCount == 0, string.Join("; ", result.Errors.Select(e => $"{e.Value} x {e.Key}")));
        var storm = Assert.IsType<StormResult>(result.Storm);
        Assert.Equal((5, 2, 5.0, 3900), (storm.IdlePeers, storm.StormPeers, storm.RatePerPeer, storm.AppDataBytes));

        // 2 peers × 5 a second × 2 s, paced: about 20 loops, never more than the rate allows.
        Assert.InRange(storm.ProducersCreated, 4, 2 * 5 * 3);
        Assert.Equal(storm.ProducersCreated, storm.ProducersClosed);
        Assert.Equal(storm.ProducersCreated, result.Completed);
        Assert.Equal(storm.ProducersCreated, result.Methods["createProducer"].Count);

        // Every idle peer got a consumer of every producer, and its close.
        Assert.Equal(5 * storm.ProducersCreated, storm.NewConsumerExpected);
        Assert.Equal(storm.NewConsumerExpected, storm.NewConsumerReceived);
        Assert.Equal(storm.ConsumerClosedExpected, storm.ConsumerClosedReceived);
        Assert.Equal(5 * storm.ProducersClosed, storm.ConsumerClosedReceived);

        var memory = Assert.IsType<StormMemory>(storm.Memory);
        Assert.Null(storm.MemoryNote);
        Assert.Equal(Environment.ProcessId, memory.Pid);
        foreach (var point in new[] { memory.PreStorm, memory.MaxDuring, memory.After })
        {
            Assert.True(point.RssKiB > 0 && point.ChildrenRssKiB > 0, $"{point.Phase}: {point.RssKiB} KiB, children {point.ChildrenRssKiB} KiB");
        }

        Assert.Equal("settle", memory.PreStorm.Phase);
        Assert.Equal("storm", memory.MaxDuring.Phase);
        Assert.Equal("after", memory.After.Phase);
        Assert.True(memory.PreStorm.Seconds < memory.MaxDuring.Seconds && memory.MaxDuring.Seconds < memory.After.Seconds);
        Assert.Equal(memory.Samples.Where(p => p.Phase == "storm").Max(p => p.RssKiB), memory.MaxDuring.RssKiB);
        Assert.Equal(Math.Round((double)memory.MaxDuring.RssKiB / memory.PreStorm.RssKiB, 3), memory.MaxRatio);
        Assert.Equal(Math.Round((memory.After.RssKiB - memory.PreStorm.RssKiB) / 1024.0, 1), memory.AfterDifferenceMiB);
        Assert.Equal(memory.MaxRatio <= 1.5, memory.MaxWithinTarget);
        Assert.Equal(memory.AfterDifferenceMiB <= 50, memory.AfterWithinTarget);
        Assert.True(memory.Samples.Count(p => p.Phase == "after") >= 2, "sampled every second after the storm");

        Assert.Contains("pre-storm", _table);
        Assert.Contains("max during the storm", _table);
        Assert.Contains("target <= 1.5x", _table);
        Assert.Contains("target <= +50 MiB", _table);
        Assert.Contains($"newConsumer {storm.NewConsumerReceived:N0} of {storm.NewConsumerExpected:N0} expected", _table);
        AssertJsonFile(result, "createProducer");
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "result.json")));
        var json = document.RootElement.GetProperty("storm");
        Assert.Equal(storm.NewConsumerReceived, json.GetProperty("newConsumerReceived").GetInt64());
        Assert.Equal(memory.PreStorm.RssKiB, json.GetProperty("memory").GetProperty("preStorm").GetProperty("rssKiB").GetInt64());
        Assert.Equal(memory.Samples.Count, json.GetProperty("memory").GetProperty("samples").GetArrayLength());
    }

    [Fact]
    public async Task Joins_into_a_publishing_room_get_every_consumer_in_their_response()
    {
        var result = await RunAsync(new LoadOptions { Mode = LoadMode.JoinLarge, Peers = 5, Iterations = 4, WarmupJoins = 1 });

        Assert.Equal(0, result.ErrorCount);
        Assert.Equal(4, result.Completed);
        Assert.Equal(4, result.Methods["join"].Count);
        Assert.Equal(4 * 5, result.Notifications["newPeer"].Count);
        AssertJsonFile(result);
    }

    [Fact]
    public async Task Idle_peers_all_join_and_the_node_processes_memory_is_read_before_during_and_after()
    {
        // The embedded node runs in this process, so its pid is ours.
        var result = await RunAsync(new LoadOptions
        {
            Mode = LoadMode.Idle,
            Connections = 40,
            Peers = 10,
            ServerPid = Environment.ProcessId,
            Duration = TimeSpan.FromMilliseconds(200),
        });

        Assert.Equal(0, result.ErrorCount);
        Assert.Equal(40, result.Completed);
        Assert.Equal(40, result.Methods["connect"].Count);
        Assert.Equal(40, result.Methods["join"].Count);
        Assert.Equal(40, result.Methods["close"].Count);
        Assert.False(result.Methods.ContainsKey("createTransport"));

        // 4 rooms of 10: every peer hears of each one that joined after it, 45 newPeer per room.
        Assert.Equal(4 * 45, result.Notifications["newPeer"].Count);
        var idle = Assert.IsType<IdleResult>(result.Idle);
        Assert.Equal(40, idle.JoinedPeers);
        var memory = Assert.IsType<IdleMemory>(idle.Memory);
        Assert.Null(idle.MemoryNote);
        Assert.Equal(Environment.ProcessId, memory.Pid);
        foreach (var sample in new[] { memory.Baseline, memory.HalfJoined, memory.Joined, Assert.IsType<MemorySample>(memory.Closed) })
        {
            Assert.True(sample.RssKiB > 0, $"VmRSS {sample.RssKiB}");
            Assert.True(sample.RssAnonKiB > 0, $"RssAnon {sample.RssAnonKiB}");
            Assert.True(sample.RssAnonKiB <= sample.RssKiB);
        }

        // The sign of the difference is not asserted: this process also runs the test host and the
        // load tool, and a garbage collection between the samples may shrink it.
        Assert.Equal(Math.Round((memory.Joined.RssKiB - memory.Baseline.RssKiB) / 40.0, 2), memory.RssKiBPerPeer);
        Assert.Equal(Math.Round((memory.Joined.RssAnonKiB!.Value - memory.Baseline.RssAnonKiB!.Value) / 40.0, 2), memory.RssAnonKiBPerPeer);
        Assert.Equal(20, memory.HalfJoinedPeers);
        Assert.Equal(Math.Round((memory.Joined.RssKiB - memory.HalfJoined.RssKiB) / 20.0, 2), memory.MarginalRssKiBPerPeer);

        AssertJsonFile(result);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "result.json")));
        var json = document.RootElement.GetProperty("idle");
        Assert.Equal(40, json.GetProperty("joinedPeers").GetInt32());
        Assert.Equal(memory.RssKiBPerPeer, json.GetProperty("memory").GetProperty("rssKiBPerPeer").GetDouble());
        Assert.True(json.GetProperty("memory").GetProperty("joined").GetProperty("rssKiB").GetInt64() > 0);
        Assert.Equal(memory.MarginalRssKiBPerPeer!.Value, json.GetProperty("memory").GetProperty("marginalRssKiBPerPeer").GetDouble());
        Assert.Contains("per idle peer", _table);
        Assert.Contains("per idle peer of the second half", _table);
    }

    [Fact]
    public async Task Idle_without_a_server_pid_still_joins_and_says_memory_was_not_measured()
    {
        var result = await RunAsync(new LoadOptions { Mode = LoadMode.Idle, Connections = 12, Peers = 4 });

        Assert.Equal(0, result.ErrorCount);
        Assert.Equal(12, result.Completed);
        Assert.Equal(12, result.Methods["join"].Count);
        Assert.Equal(3 * 6, result.Notifications["newPeer"].Count);
        var idle = Assert.IsType<IdleResult>(result.Idle);
        Assert.Null(idle.Memory);
        Assert.Contains("memory not measured", idle.MemoryNote);
        Assert.Contains("memory not measured", _table);
        AssertJsonFile(result);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<LoadResult> RunAsync(LoadOptions options)
    {
        options = options with
        {
            Url = node.BaseUri,
            JsonPath = Path.Combine(_directory, "result.json"),
        };
        using var progress = new StringWriter();
        var result = await LoadRunner.RunAsync(options, progress);
        Report.WriteJson(result, options.JsonPath!);
        var table = new StringWriter();
        Report.WriteTable(result, table);
        _table = table.ToString();
        Assert.Contains($"mode {LoadOptions.ModeName(options.Mode)}", _table);
        return result;
    }

    private void AssertJsonFile(LoadResult result, string method = "join")
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "result.json")));
        var root = document.RootElement;
        Assert.Equal(result.Mode, root.GetProperty("mode").GetString());
        Assert.Equal(result.Completed, root.GetProperty("completed").GetInt64());
        Assert.Equal(0, root.GetProperty("errorCount").GetInt64());
        var timed = root.GetProperty("methods").GetProperty(method);
        Assert.Equal(result.Methods[method].Count, timed.GetProperty("count").GetInt64());
        Assert.True(timed.GetProperty("p99").GetDouble() >= timed.GetProperty("p50").GetDouble());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("notifications").ValueKind);
    }
}
