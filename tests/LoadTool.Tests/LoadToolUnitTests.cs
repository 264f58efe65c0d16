using Coordinator.Gateway.Auth;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Coordinator.Tools.LoadTest;

namespace Coordinator.LoadTool.Tests;

/// <summary>The load tool's pure parts: options, percentiles, tokens and the captured payloads.</summary>
public sealed class LoadToolUnitTests
{
    [Fact]
    public void Options_apply_the_per_mode_defaults()
    {
        var sequence = LoadOptions.Parse(["--mode", "sequence"]);
        Assert.Equal(64, sequence.EffectiveConnections);
        Assert.Equal(4, sequence.EffectivePeers);
        Assert.Equal(TimeSpan.FromSeconds(20), sequence.EffectiveDuration);
        Assert.Null(sequence.EffectiveIterations);

        var large = LoadOptions.Parse(["--mode", "join-large", "--joins", "7"]);
        Assert.Equal(50, large.EffectivePeers);
        Assert.Equal(7, large.EffectiveIterations);
        Assert.Equal(1, large.EffectiveConnections);

        var full = LoadOptions.Parse(["--rooms", "3", "--peers", "5", "--duration", "1500ms", "--json", "x.json"]);
        Assert.Equal(15, full.EffectiveConnections);
        Assert.Null(full.EffectiveIterations);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), full.EffectiveDuration);
        Assert.Equal("x.json", full.JsonPath);

        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "sequence", "--rooms", "2"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--peers", "4", "--connections", "3"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--bogus", "1"]));
    }

    [Fact]
    public void A_rate_paces_sequence_mode_only_and_must_be_a_positive_number()
    {
        Assert.Null(LoadOptions.Parse(["--mode", "sequence"]).Rate);
        Assert.Equal(250.5, LoadOptions.Parse(["--mode", "sequence", "--rate", "250.5"]).Rate);
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "join-large", "--rate", "10"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "sequence", "--rate", "0"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "sequence", "--rate", "fast"]));
    }

    [Fact]
    public void The_pacer_starts_turns_in_groups_spaced_by_the_rate_and_does_not_make_up_late_ones()
    {
        var clock = new ManualClock();
        var pacer = new SequencePacer(200, groupSize: 4, clock);
        var turns = new (long Turn, TimeSpan Wait)[400];
        Parallel.For(0, turns.Length, i => turns[i] = pacer.TakeTurn());

        // Groups of 4 every 20 ms: 200 a second.
        Assert.Equal(Enumerable.Range(0, 400).Select(k => ((long)k, TimeSpan.FromMilliseconds(20 * (k / 4)))), turns.OrderBy(turn => turn.Turn));

        // Every connection was busy for 10 s: the next group starts at once, the one after a full interval later.
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([(400, TimeSpan.Zero), (401, TimeSpan.Zero), (402, TimeSpan.Zero), (403, TimeSpan.Zero)], Enumerable.Range(0, 4).Select(_ => pacer.TakeTurn()));
        Assert.Equal((404, TimeSpan.FromMilliseconds(20)), pacer.TakeTurn());
    }

    /// <summary>A clock that moves only when told (timestamps in ticks of 100 ns).</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _now);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _now, by.Ticks);
    }

    [Fact]
    public void Idle_options_default_to_5000_peers_in_rooms_of_10_and_take_no_iterations()
    {
        var idle = LoadOptions.Parse(["--mode", "idle"]);
        Assert.Equal(LoadMode.Idle, idle.Mode);
        Assert.Equal(5000, idle.EffectiveConnections);
        Assert.Equal(10, idle.EffectivePeers);
        Assert.Null(idle.EffectiveIterations);
        Assert.Null(idle.EffectiveDuration);
        Assert.Equal(TimeSpan.Zero, idle.EffectiveWarmup);
        Assert.Equal("idle", LoadOptions.ModeName(idle.Mode));

        var sized = LoadOptions.Parse(["--mode", "idle", "--connections", "40", "--peers", "8", "--server-pid", "1234", "--duration", "5s"]);
        Assert.Equal(40, sized.EffectiveConnections);
        Assert.Equal(8, sized.EffectivePeers);
        Assert.Equal(1234, sized.ServerPid);
        Assert.Equal(TimeSpan.FromSeconds(5), sized.EffectiveDuration);

        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "idle", "--rooms", "2"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "idle", "--iterations", "2"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "idle", "--warmup", "1s"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "idle", "--connections", "0"]));
        Assert.Contains("--mode idle", LoadOptions.Usage);
    }

    [Fact]
    public void Storm_options_default_to_the_storm_of_issue_16_and_refuse_what_does_not_apply()
    {
        var storm = LoadOptions.Parse(["--mode", "storm"]);
        Assert.Equal("storm", LoadOptions.ModeName(storm.Mode));
        Assert.Equal(20, storm.EffectivePeers);
        Assert.Equal(4, storm.EffectiveStormPeers);
        Assert.Equal(24, storm.EffectiveConnections);
        Assert.Equal(45, storm.EffectiveRate);
        Assert.Equal(3900, storm.EffectiveAppDataBytes);
        Assert.Equal(TimeSpan.FromSeconds(60), storm.EffectiveDuration);
        Assert.Equal(TimeSpan.FromSeconds(60), storm.EffectiveAfter);
        Assert.Equal(TimeSpan.FromSeconds(5), storm.EffectiveWarmup);

        var sized = LoadOptions.Parse(["--mode", "storm", "--peers", "5", "--storm-peers", "2", "--rate", "10", "--duration", "2s", "--after", "0", "--app-data", "1000", "--warmup", "0"]);
        Assert.Equal((5, 2, 7, 10.0, 1000), (sized.EffectivePeers, sized.EffectiveStormPeers, sized.EffectiveConnections, sized.EffectiveRate!.Value, sized.EffectiveAppDataBytes));
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.Zero, TimeSpan.Zero), (sized.EffectiveDuration!.Value, sized.EffectiveAfter, sized.EffectiveWarmup));

        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "storm", "--connections", "4"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "storm", "--iterations", "3"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "sequence", "--storm-peers", "2"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "sequence", "--after", "5s"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--app-data", "100"]));
        Assert.Contains("--mode storm", LoadOptions.Usage);
    }

    [Fact]
    public void Compare_options_take_a_list_of_connection_counts_and_need_the_reference_server()
    {
        var compare = LoadOptions.Parse(["--mode", "compare", "--reference-url", "ws://127.0.0.1:4470"]);
        Assert.Equal([64, 16], compare.EffectiveConnectionCounts);
        Assert.Equal(2, compare.EffectiveRounds);
        Assert.Equal(TimeSpan.FromSeconds(5), compare.EffectiveWarmup);
        Assert.Equal(TimeSpan.FromSeconds(60), compare.EffectiveFirstWarmup);
        Assert.Equal(TimeSpan.FromSeconds(20), compare.EffectiveDuration);

        var listed = LoadOptions.Parse([
            "--mode", "compare", "--url", "ws://127.0.0.1:4850", "--server-pid", "21", "--reference-url", "ws://127.0.0.1:4900",
            "--reference-pid", "12", "--connections", "32,8", "--rounds", "3", "--warmup", "1s", "--first-warmup", "0", "--duration", "3s"]);
        Assert.Equal([32, 8], listed.EffectiveConnectionCounts);
        Assert.Equal((3, 12, TimeSpan.Zero), (listed.EffectiveRounds, listed.ReferencePid!.Value, listed.EffectiveFirstWarmup));

        // Each run is a plain sequence run against one of the servers.
        var run = CompareRunner.RunOptions(listed, new CompareServer(CompareRunner.ReferenceName, "ws://127.0.0.1:4900/", 12, null), 8, TimeSpan.FromSeconds(1));
        Assert.Equal(LoadMode.Sequence, run.Mode);
        Assert.Equal((new Uri("ws://127.0.0.1:4900/"), 12, 8, 4), (run.Url, run.ServerPid!.Value, run.EffectiveConnections, run.EffectivePeers));
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)), (run.EffectiveWarmup, run.EffectiveDuration!.Value));
        Assert.Null(run.ReferenceUrl);
        Assert.Null(run.JsonPath);

        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "compare"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "compare", "--reference-url", "ws://127.0.0.1:4470", "--iterations", "3"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "compare", "--reference-url", "ws://127.0.0.1:4470", "--connections", "16,16"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "sequence", "--connections", "64,16"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "sequence", "--reference-url", "ws://127.0.0.1:4470"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "sequence", "--rounds", "2"]));
        Assert.Contains("--mode compare", LoadOptions.Usage);
    }

    [Fact]
    public void A_runs_memory_is_its_first_and_last_sample_and_the_peaks_between()
    {
        MemoryPoint Point(double seconds, long rss, long children) => new(seconds, "measured", rss, rss / 2, children, 2);
        var memory = Assert.IsType<RunMemory>(RunMemory.From(42, [Point(1, 100, 30), Point(2, 300, 20), Point(3, 200, 40), Point(4, 150, 10)]));

        Assert.Equal(42, memory.Pid);
        Assert.Equal(100, memory.Start.RssKiB);
        Assert.Equal(150, memory.End.RssKiB);
        Assert.Equal(300, memory.PeakRssKiB);
        Assert.Equal(40, memory.PeakChildrenRssKiB);
        Assert.Equal(4, memory.Samples);
        Assert.Null(RunMemory.From(42, []));
    }

    [Fact]
    public async Task A_memory_sample_sums_the_processs_children()
    {
        using var child = System.Diagnostics.Process.Start("sleep", "30");
        try
        {
            var point = Assert.IsType<MemoryPoint>(MemoryPoint.Read(Environment.ProcessId, 1.5, "test"));
            Assert.Equal(("test", 1.5), (point.Phase, point.Seconds));
            Assert.True(point.RssKiB > 0 && point.RssAnonKiB > 0);
            Assert.True(point.Children >= 1, $"{point.Children} children");
            Assert.True(point.ChildrenRssKiB > 0);
            Assert.Null(MemoryPoint.Read(child.Id + 1_000_000_000, 0, "gone"));

            // The monitor samples at once and then every interval, each with the phase of the moment.
            var monitor = new MemoryMonitor(Environment.ProcessId, "first", System.Diagnostics.Stopwatch.GetTimestamp(), TimeSpan.FromMilliseconds(50));
            await using (monitor)
            {
                Assert.Equal("first", Assert.IsType<MemoryPoint>(monitor.First).Phase);
                monitor.Phase = "second";
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (monitor.Points.Count(p => p.Phase == "second") < 2 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20);
                }

                Assert.True(monitor.Points.Count(p => p.Phase == "second") >= 2);
                Assert.Equal("third", Assert.IsType<MemoryPoint>(monitor.Enter("third")).Phase);
            }
        }
        finally
        {
            child.Kill();
        }
    }

    [Fact]
    public void Memory_is_read_from_proc_status_in_KiB()
    {
        var sample = ProcessMemory.Parse("Name:\tdotnet\nVmPeak:\t  999999 kB\nVmRSS:\t  345678 kB\nRssAnon:\t  123456 kB\nRssFile:\t  222222 kB\n");
        Assert.Equal(new MemorySample(345678, 123456), sample);
        Assert.Equal(new MemorySample(42, null), ProcessMemory.Parse("VmRSS:  42 kB\n"));
        Assert.Null(ProcessMemory.Parse("Name: kthreadd\n"));

        var self = Assert.IsType<MemorySample>(ProcessMemory.Sample(Environment.ProcessId));
        Assert.True(self.RssKiB > 0 && self.RssAnonKiB > 0);
    }

    [Fact]
    public async Task A_run_needing_more_sockets_than_the_open_file_limit_fails_before_connecting()
    {
        Assert.Equal(20000, OpenFileLimit.ParseSoftLimit("Max cpu time              unlimited            unlimited            seconds\nMax open files            20000                40000                files\n"));
        Assert.Null(OpenFileLimit.ParseSoftLimit("Max open files            unlimited            unlimited            files\n"));
        var tooLow = Assert.Throws<RunCannotStartException>(() => OpenFileLimit.Ensure(5000, 1024, "this load tool"));
        Assert.Contains("ulimit -n", tooLow.Message);
        OpenFileLimit.Ensure(5000, 20000, "this load tool");
        Assert.Equal(60, OpenFileLimit.SocketsAtOnce(LoadOptions.Parse(["--mode", "join-large", "--peers", "50", "--connections", "10"])));

        // Nothing listens at this URL: the run must stop at the limit check, before any connect.
        var limit = Assert.IsType<long>(OpenFileLimit.SoftLimit(Environment.ProcessId));
        var options = new LoadOptions { Mode = LoadMode.Idle, Connections = (int)Math.Min(limit, int.MaxValue - OpenFileLimit.Headroom), Url = new Uri("ws://127.0.0.1:9") };
        var exception = await Assert.ThrowsAsync<RunCannotStartException>(() => LoadRunner.RunAsync(options));
        Assert.Contains("--connections", exception.Message);
    }

    [Fact]
    public void Percentiles_are_exact_nearest_rank_over_all_samples()
    {
        var summary = LatencySummary.From([.. Enumerable.Range(1, 1000).Select(i => (double)i)]);
        Assert.Equal(1000, summary.Count);
        Assert.Equal(500, summary.P50);
        Assert.Equal(950, summary.P95);
        Assert.Equal(990, summary.P99);
        Assert.Equal(1000, summary.Max);
        Assert.Equal(500.5, summary.Mean);
    }

    [Fact]
    public void Errors_are_grouped_by_reason_with_numbers_blanked()
    {
        var recorder = new Recorder();
        recorder.Error("createProducer: error 500 Error: a Producer with same producerId already exists [id:123]");
        recorder.Error("createProducer: error 500 Error: a Producer with same producerId already exists [id:456]");
        Assert.Equal(2, recorder.ErrorCount);
        Assert.Equal(2, Assert.Single(recorder.Errors()).Value);
    }

    [Fact]
    public async Task A_unit_completed_while_the_warm_up_ends_is_counted_with_its_sample()
    {
        var context = new RunContext(new LoadOptions { Url = new Uri("ws://127.0.0.1:9") }, CapturedPayloads.Load(), CancellationToken.None);
        using var done = new CancellationTokenSource();
        var completing = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                context.Recorder.CompletedOne("sequence", 1);
            }
        })));

        // Each swap of the recorder is a warm-up ending under running sequences.
        var recorders = new List<Recorder> { context.Recorder };
        for (var swap = 0; swap < 200; swap++)
        {
            Assert.True(SpinWait.SpinUntil(() => context.Recorder.Completed >= 100, TimeSpan.FromSeconds(10)), "the completing threads stalled");
            context.BeginMeasurement();
            recorders.Add(context.Recorder);
        }

        await done.CancelAsync();
        await completing;
        Assert.All(recorders, recorder =>
            Assert.Equal(recorder.Completed, recorder.StepSummaries(["sequence"]).GetValueOrDefault("sequence")?.Count ?? 0));
    }

    [Fact]
    public async Task Minted_tokens_are_accepted_by_the_gateways_validator()
    {
        var key = TokenKeys.NewSymmetricKey();
        var token = JoinTokens.Mint(Convert.FromBase64String(key), "room-1", "alice", TimeSpan.FromMinutes(5));

        var validated = await new JoinTokenValidator(new TokenOptions { SigningKey = key }).ValidateAsync(token);

        Assert.Equal("room-1", validated.RoomId);
        Assert.Equal("alice", validated.PeerName);
        Assert.Equal(PeerGrants.Publish | PeerGrants.Subscribe, validated.Grants);
    }

    [Fact]
    public void The_captured_payloads_are_the_real_chromium_messages_with_fresh_ids()
    {
        var payloads = CapturedPayloads.Load();

        var video = payloads.CreateProducer("video", 7, 9);
        Assert.Equal(7u, (uint)video["id"]!);
        Assert.Equal(9u, (uint)video["transportId"]!);
        Assert.Equal("VP8", (string?)video["rtpParameters"]!["codecs"]![0]!["name"]);
        Assert.Equal("rtx", (string?)video["rtpParameters"]!["codecs"]![1]!["name"]);
        Assert.Equal("opus", (string?)payloads.CreateProducer("audio", 8, 9)["rtpParameters"]!["codecs"]![0]!["name"]);
        Assert.Equal("send", (string?)payloads.CreateTransport(send: true, 5)["direction"]);
        Assert.NotNull(payloads.CreateTransport(send: true, 5)["dtlsParameters"]);
        Assert.Equal("recv", (string?)payloads.CreateTransport(send: false, 6)["direction"]);
        Assert.Equal("bob", (string?)payloads.Join("bob")["peerName"]);
        Assert.True(payloads.JoinRtpCapabilities.GetProperty("codecs").GetArrayLength() > 0);
    }

    [Fact]
    public void The_built_in_session_is_the_file_in_tests_data_and_a_session_file_can_replace_it()
    {
        var file = TestData.File("client", CapturedPayloads.SessionFile);
        using (var resource = typeof(CapturedPayloads).Assembly.GetManifestResourceStream(CapturedPayloads.ResourceName))
        {
            Assert.NotNull(resource);
            using var bytes = new MemoryStream();
            resource.CopyTo(bytes);
            Assert.Equal(File.ReadAllBytes(file), bytes.ToArray());
        }

        Assert.StartsWith("built in", CapturedPayloads.Load().Source);
        var options = LoadOptions.Parse(["--session", file]);
        var fromFile = CapturedPayloads.Load(options.SessionPath);
        Assert.Equal(file, fromFile.Source);
        Assert.Equal(CapturedPayloads.Load().Join("x").ToJsonString(), fromFile.Join("x").ToJsonString());

        var missing = Path.Combine(TestData.Folder, "client", "no-such-session.json");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => CapturedPayloads.Load(missing)).Message);
    }
}
