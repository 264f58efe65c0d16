using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Coordinator.Silo.Workers;
using Coordinator.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit;
using Xunit.Abstractions;

namespace Coordinator.MediaPlane.Tests;

/// <summary>Channel requests, replies, rejections, events and timeouts against the real 2.6.19 worker.</summary>
public sealed partial class WorkerChannelTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int MinPort = 41000;
    private const int MaxPort = 41999;

    private readonly TestLoggerFactory _loggers = new(output);
    private MediaWorker _worker = null!;

    private WorkerChannel Channel => _worker.Channel;

    public async Task InitializeAsync() => _worker = await WorkerBinary.StartAsync("channel", MinPort, MaxPort, _loggers);

    public async Task DisposeAsync()
    {
        var pid = _worker.Pid;
        await _worker.DisposeAsync();
        Assert.False(WorkerBinary.ProcessExists(pid));
    }

    [Fact]
    public async Task Worker_dump_reports_the_worker_id_and_no_routers()
    {
        var dump = await Channel.RequestAsync("worker.dump");
        Assert.Equal(_worker.Id, dump.GetProperty("workerId").GetString());
        Assert.Equal(0, dump.GetProperty("routers").GetArrayLength());
        Assert.InRange(_worker.StartupTime, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        output.WriteLine($"startup (spawn to first reply): {_worker.StartupTime.TotalMilliseconds:0.0} ms");
    }

    [Fact]
    public async Task Creates_a_router_and_a_webrtc_transport_with_the_expected_shape()
    {
        var routerId = await CreateRouterAsync();
        var transportId = _worker.ObjectIds.Next();
        var transport = await Channel.RequestAsync(
            "router.createWebRtcTransport",
            new WorkerInternal(RouterId: routerId, TransportId: transportId),
            new { udp = true, tcp = true, preferIPv4 = false, preferIPv6 = false, preferUdp = false, preferTcp = false });

        Assert.Equal(transportId, transport.GetProperty("transportId").GetUInt32());
        Assert.Equal("controlled", transport.GetProperty("iceRole").GetString());
        Assert.Equal("new", transport.GetProperty("iceState").GetString());
        Assert.Equal("new", transport.GetProperty("dtlsState").GetString());

        var ice = transport.GetProperty("iceLocalParameters");
        Assert.True(ice.GetProperty("iceLite").GetBoolean());
        Assert.Matches(IceCredential(16), ice.GetProperty("usernameFragment").GetString());
        Assert.Matches(IceCredential(32), ice.GetProperty("password").GetString());

        var candidates = transport.GetProperty("iceLocalCandidates").EnumerateArray().ToList();
        Assert.Equal(["udp", "tcp"], candidates.Select(c => c.GetProperty("protocol").GetString()).Order().Reverse());
        foreach (var candidate in candidates)
        {
            var protocol = candidate.GetProperty("protocol").GetString();
            Assert.Equal("ipv4", candidate.GetProperty("family").GetString());
            Assert.Equal($"{protocol}candidate", candidate.GetProperty("foundation").GetString());
            Assert.Equal("127.0.0.1", candidate.GetProperty("ip").GetString());
            Assert.InRange(candidate.GetProperty("port").GetInt32(), MinPort, MaxPort);
            Assert.Equal(1078862079L, candidate.GetProperty("priority").GetInt64());
            Assert.Equal("host", candidate.GetProperty("type").GetString());
            Assert.Equal(protocol == "tcp", candidate.TryGetProperty("tcpType", out var tcpType));
            if (protocol == "tcp")
            {
                Assert.Equal("passive", tcpType.GetString());
            }
        }

        var dtls = transport.GetProperty("dtlsLocalParameters");
        Assert.Equal("auto", dtls.GetProperty("role").GetString());
        var fingerprints = dtls.GetProperty("fingerprints").EnumerateArray().ToList();
        Assert.Equal(["sha-1", "sha-224", "sha-256", "sha-384", "sha-512"], fingerprints.Select(f => f.GetProperty("algorithm").GetString()));
        int[] bytes = [20, 28, 32, 48, 64];
        for (var i = 0; i < fingerprints.Count; i++)
        {
            Assert.Matches($"^[0-9A-F]{{2}}(:[0-9A-F]{{2}}){{{bytes[i] - 1}}}$", fingerprints[i].GetProperty("value").GetString());
        }
    }

    [Theory]
    [InlineData("client", "server")]
    [InlineData("server", "client")]
    [InlineData("auto", "client")]
    public async Task Set_remote_dtls_parameters_answers_the_local_role(string remoteRole, string localRole)
    {
        var routerId = await CreateRouterAsync();
        var transportId = await CreateTransportAsync(routerId);
        var reply = await Channel.RequestAsync(
            "transport.setRemoteDtlsParameters",
            new WorkerInternal(RouterId: routerId, TransportId: transportId),
            new
            {
                role = remoteRole,
                fingerprints = new[] { new { algorithm = "sha-256", value = string.Join(':', Enumerable.Repeat("AB", 32)) } },
            });
        Assert.Equal(localRole, reply.GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_rejection_surfaces_the_worker_reason_verbatim()
    {
        var routerId = await CreateRouterAsync();
        var transportId = await CreateTransportAsync(routerId);

        var error = await Assert.ThrowsAsync<WorkerRequestException>(() => Channel.RequestAsync(
            "router.createWebRtcTransport", new WorkerInternal(RouterId: routerId, TransportId: transportId), new { udp = true, tcp = false }));
        Assert.Equal("a Transport with same transportId already exists", error.Message);
        Assert.Equal("router.createWebRtcTransport", error.Method);

        var missing = await Assert.ThrowsAsync<WorkerRequestException>(() => Channel.RequestAsync(
            "router.dump", new WorkerInternal(RouterId: 424242)));
        Assert.Equal("Router does not exist", missing.Message);

        var unknown = await Assert.ThrowsAsync<WorkerRequestException>(() => Channel.RequestAsync("worker.close"));
        Assert.Equal("unknown method", unknown.Message);

        // The worker also prints an E line for each throw; it reaches the logger with the worker id.
        await Eventually.True(
            () => _loggers.Contains(LogLevel.Error, $"[id:{_worker.Id}]") && _loggers.Contains(LogLevel.Error, "throwing MediaSoupError"),
            TimeSpan.FromSeconds(2),
            "the worker's E log line");
        Assert.Equal(0, Channel.PendingCount);
    }

    [Fact]
    public async Task The_64_KiB_limit_is_enforced_before_sending_and_the_channel_stays_usable()
    {
        var routerId = await CreateRouterAsync();
        var error = await Assert.ThrowsAsync<RequestTooBigException>(() => Channel.RequestAsync(
            "router.dump", new WorkerInternal(RouterId: routerId), new { padding = new string('x', 70_000) }));
        Assert.StartsWith("request too big (", error.Message);
        Assert.EndsWith(" bytes > 65536)", error.Message);
        Assert.Equal(0, Channel.PendingCount);

        // Had it been sent, the worker would have dropped it and the next request too (docs/worker-channel.md#framing).
        var dump = await Channel.RequestAsync("router.dump", new WorkerInternal(RouterId: routerId));
        Assert.Equal(routerId, dump.GetProperty("routerId").GetUInt32());

        // Just under the limit is sent and answered (the worker ignores unknown data members).
        var bigButFine = await Channel.RequestAsync(
            "router.dump", new WorkerInternal(RouterId: routerId), new { padding = new string('x', 65_000) });
        Assert.Equal(routerId, bigButFine.GetProperty("routerId").GetUInt32());
    }

    [Fact]
    public async Task A_request_without_reply_times_out_and_a_later_request_still_works()
    {
        var routerId = await CreateRouterAsync();
        var clock = Stopwatch.StartNew();

        // Routers start with audio levels disabled: setting false again never gets a reply.
        var error = await Assert.ThrowsAsync<WorkerRequestTimeoutException>(() => Channel.RequestAsync(
            "router.setAudioLevelsEvent", new WorkerInternal(RouterId: routerId), new { enabled = false }, TimeSpan.FromMilliseconds(300)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(3));
        Assert.Contains("request timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Channel.PendingCount);

        var dump = await Channel.RequestAsync("router.dump", new WorkerInternal(RouterId: routerId));
        Assert.False(dump.GetProperty("audioLevelsEventEnabled").GetBoolean());
    }

    [Fact]
    public async Task Transport_close_delivers_the_close_event_to_the_subscriber_before_the_reply()
    {
        var routerId = await CreateRouterAsync();
        var transportId = await CreateTransportAsync(routerId);
        var seen = new List<(string Event, bool ReplyCompleted)>();
        Task<JsonElement>? close = null;
        using var subscription = Channel.Subscribe(transportId, e =>
        {
            lock (seen)
            {
                seen.Add((e.Name, close?.IsCompleted ?? false));
            }
        });

        close = Channel.RequestAsync("transport.close", new WorkerInternal(RouterId: routerId, TransportId: transportId));
        await close;

        lock (seen)
        {
            var (name, replyCompleted) = Assert.Single(seen);
            Assert.Equal("close", name);
            Assert.False(replyCompleted);
        }
    }

    [Fact]
    public async Task Events_for_unknown_targets_are_logged_at_debug()
    {
        var routerId = await CreateRouterAsync();
        var transportId = _worker.ObjectIds.Next();

        // A failed creation emits a spurious close for the never-created id (docs/worker-channel.md#methods).
        var error = await Assert.ThrowsAsync<WorkerRequestException>(() => Channel.RequestAsync(
            "router.createWebRtcTransport", new WorkerInternal(RouterId: routerId, TransportId: transportId), new { udp = false, tcp = false }));
        Assert.Equal("could not open any IP:port", error.Message);
        Assert.True(_loggers.Contains(LogLevel.Debug, $"event 'close' for unknown target {transportId}"));
    }

    [Fact]
    public async Task Pipelined_requests_complete_in_order_with_distinct_ids()
    {
        var routers = Enumerable.Range(0, 200).Select(_ => _worker.ObjectIds.Next()).ToArray();
        await Task.WhenAll(routers.Select(id => Channel.RequestAsync("worker.createRouter", new WorkerInternal(RouterId: id))));
        var dump = await Channel.RequestAsync("worker.dump");
        Assert.Equal(200, dump.GetProperty("routers").GetArrayLength());
        await Task.WhenAll(routers.Select(id => Channel.RequestAsync("router.close", new WorkerInternal(RouterId: id))));
        Assert.Equal(0, (await Channel.RequestAsync("worker.dump")).GetProperty("routers").GetArrayLength());
    }

    [Fact]
    public async Task Sigterm_closes_live_objects_with_events_then_the_process_exits_0()
    {
        var routerId = await CreateRouterAsync();
        var transportId = await CreateTransportAsync(routerId);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Channel.Subscribe(transportId, e =>
        {
            if (e.Name == "close")
            {
                closed.TrySetResult();
            }
        });

        await _worker.StopAsync();
        Assert.True(closed.Task.IsCompleted, "the transport's close event arrived before the channel closed");
        var status = await _worker.Exited;
        Assert.Equal(0, status.ExitCode);
        await Assert.ThrowsAsync<WorkerClosedException>(() => Channel.RequestAsync("worker.dump"));
    }

    private async Task<uint> CreateRouterAsync()
    {
        var routerId = _worker.ObjectIds.Next();
        var reply = await Channel.RequestAsync("worker.createRouter", new WorkerInternal(RouterId: routerId));
        Assert.Equal(JsonValueKind.Object, reply.ValueKind);
        return routerId;
    }

    private async Task<uint> CreateTransportAsync(uint routerId)
    {
        var transportId = _worker.ObjectIds.Next();
        await Channel.RequestAsync(
            "router.createWebRtcTransport", new WorkerInternal(RouterId: routerId, TransportId: transportId), new { udp = true, tcp = true });
        return transportId;
    }

    private static Regex IceCredential(int length) => new($"^[0-9a-z]{{{length}}}$");
}
