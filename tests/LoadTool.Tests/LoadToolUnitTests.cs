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
