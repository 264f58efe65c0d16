using System.Diagnostics;
using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.Silo.Media;
using Coordinator.Silo.Workers;
using Coordinator.TestSupport;
using Coordinator.TestSupport.Media;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Coordinator.MediaPlane.Tests.Contract;

/// <summary>
/// What only the real worker can show: the worker itself holds no object we think closed, ids are
/// released, the audio-levels quirk, the death reason. Queries the worker directly through the
/// router's test accessors.
/// </summary>
public sealed class RealWorkerMediaRouterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const uint AliceSend = 35700763;
    private const uint AliceAudio = 88552448;
    private const uint AliceVideo = 26617169;
    private const uint BobRecv = 79573029;
    private const uint BobAudio = 22079766;
    private const uint BobVideo = 21950797;
    private const uint CarolVideo = 86926922;

    private readonly TestLoggerFactory _loggers = new(output);
    private WorkerPool _pool = null!;
    private WorkerMediaPlane _plane = null!;

    private MediaWorker Worker => Assert.Single(_pool.Workers);

    public async Task InitializeAsync()
    {
        _pool = new WorkerPool(Options.Create(WorkerBinary.Options(49000, 49999)), _loggers);
        await _pool.StartAsync(CancellationToken.None);
        _plane = new WorkerMediaPlane(_pool, _loggers);
    }

    public async Task DisposeAsync()
    {
        _plane.Dispose();
        await _pool.DisposeAsync();
    }

    [Fact]
    public async Task Cascades_leave_no_object_behind_in_the_worker_and_release_every_id()
    {
        var events = new RecordingMediaEventSink();
        var router = (WorkerMediaRouter)await _plane.CreateRouterAsync(events);
        await router.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());
        await Produce(router, AliceAudio, CapturedMedia.AliceAudio);
        await Produce(router, AliceVideo, CapturedMedia.AliceVideo);
        await router.CreateWebRtcTransportAsync(BobRecv, new WebRtcTransportOptions());
        await Consume(router, BobAudio, AliceAudio, CapturedMedia.AliceAudio);
        await Consume(router, BobVideo, AliceVideo, CapturedMedia.AliceVideo);
        await router.CreateConsumerAsync(CarolVideo, AliceVideo, "video");
        var ids = new Dictionary<string, uint>
        {
            ["aliceSend"] = WorkerId(router, MediaObjectKind.Transport, AliceSend),
            ["aliceAudio"] = WorkerId(router, MediaObjectKind.Producer, AliceAudio),
            ["aliceVideo"] = WorkerId(router, MediaObjectKind.Producer, AliceVideo),
            ["bobRecv"] = WorkerId(router, MediaObjectKind.Transport, BobRecv),
            ["bobAudio"] = WorkerId(router, MediaObjectKind.Consumer, BobAudio),
            ["bobVideo"] = WorkerId(router, MediaObjectKind.Consumer, BobVideo),
            ["carolVideo"] = WorkerId(router, MediaObjectKind.Consumer, CarolVideo),
        };
        Assert.Equal(8, Worker.ObjectIds.LiveCount);

        // bob's recv transport: gone in the worker; his consumers alive but no longer enabled.
        await router.CloseTransportAsync(BobRecv);
        await AssertGone(router, "transport", ids["bobRecv"], "Transport not found");
        var bobAudio = await Dump(router, "consumer", ids["bobAudio"]);
        Assert.False(bobAudio.TryGetProperty("rtpParameters", out _), "a disabled consumer has no rtpParameters");

        // A producer: gone with its consumers.
        await router.CloseProducerAsync(AliceVideo);
        await AssertGone(router, "producer", ids["aliceVideo"], "Producer not found");
        await AssertGone(router, "consumer", ids["bobVideo"], "Consumer not found");
        await AssertGone(router, "consumer", ids["carolVideo"], "Consumer not found");

        // alice's send transport: gone with her audio producer and its consumer.
        await router.CloseTransportAsync(AliceSend);
        await AssertGone(router, "transport", ids["aliceSend"], "Transport not found");
        await AssertGone(router, "producer", ids["aliceAudio"], "Producer not found");
        await AssertGone(router, "consumer", ids["bobAudio"], "Consumer not found");
        Assert.Equal(
            ["ConsumerClosed(21950797)", "ConsumerClosed(22079766)", "ConsumerClosed(86926922)"],
            events.Events.Select(e => e.ToString()).Order());

        // Only the router's own id is left; closing it leaves nothing at all.
        Assert.Equal(1, Worker.ObjectIds.LiveCount);
        await router.DisposeAsync();
        Assert.Equal(0, Worker.ObjectIds.LiveCount);
        Assert.Equal(0, Worker.RouterCount);
        var dump = await Worker.Channel.RequestAsync("worker.dump");
        Assert.Equal(0, dump.GetProperty("routers").GetArrayLength());
    }

    [Fact]
    public async Task Failed_creations_leave_nothing_behind()
    {
        var events = new RecordingMediaEventSink();
        var router = (WorkerMediaRouter)await _plane.CreateRouterAsync(events);
        await router.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());
        var live = Worker.ObjectIds.LiveCount;

        await Assert.ThrowsAsync<MediaPlaneException>(() => router.CreateWebRtcTransportAsync(1, new WebRtcTransportOptions(Udp: false, Tcp: false)));
        await Assert.ThrowsAsync<MediaPlaneException>(() => router.CreatePlainRtpTransportAsync(2, new PlainRtpTransportOptions("nope", 5004, false, false)));
        await Assert.ThrowsAsync<MediaPlaneException>(() => router.CreateProducerAsync(3, AliceSend, "foo", CapturedMedia.AliceAudio.RtpParameters, CapturedMedia.AliceAudio.RtpMapping, false));
        await Produce(router, AliceAudio, CapturedMedia.AliceAudio);
        await Assert.ThrowsAsync<MediaPlaneException>(() => router.CreateConsumerAsync(4, AliceAudio, "video"));

        Assert.Equal(live + 1, Worker.ObjectIds.LiveCount);
        Assert.Empty(events.Events);
        await router.DisposeAsync();
        Assert.Equal(0, Worker.ObjectIds.LiveCount);
    }

    [Fact]
    public async Task Audio_levels_off_on_a_fresh_router_answers_at_once_and_on_reports_every_half_second()
    {
        var events = new RecordingMediaEventSink();
        await using var router = await _plane.CreateRouterAsync(events);

        // The worker would never answer this one; the router must not send it.
        var clock = Stopwatch.StartNew();
        await router.SetAudioLevelsEventAsync(false);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"took {clock.Elapsed.TotalMilliseconds:0} ms");

        await router.SetAudioLevelsEventAsync(true);
        await Eventually.True(() => events.Named(nameof(IMediaEventSink.AudioLevels)).Count >= 2, TimeSpan.FromSeconds(2), "two audiolevels events");
        Assert.All(events.Named(nameof(IMediaEventSink.AudioLevels)), e => Assert.Empty(e.Levels!));

        clock.Restart();
        await router.SetAudioLevelsEventAsync(true);
        await router.SetAudioLevelsEventAsync(false);
        await router.SetAudioLevelsEventAsync(false);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"took {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Kind_confused_calls_never_reach_the_worker()
    {
        await using var router = await _plane.CreateRouterAsync(new RecordingMediaEventSink());
        var worker = Worker;
        await router.CreatePlainRtpTransportAsync(1, new PlainRtpTransportOptions(null, null, false, false));
        await router.CreateWebRtcTransportAsync(2, new WebRtcTransportOptions());

        await Assert.ThrowsAsync<MediaPlaneException>(() => router.SetRemoteDtlsParametersAsync(1, CapturedMedia.SendTransportDtls));
        await Assert.ThrowsAsync<MediaPlaneException>(() => router.RestartIceAsync(1));
        await Assert.ThrowsAsync<MediaPlaneException>(() => router.SetRemotePlainParametersAsync(2, "127.0.0.1", 5004));

        await worker.Channel.RequestAsync("worker.dump");
        Assert.True(worker.IsAlive);
        Assert.True(WorkerBinary.ProcessExists(worker.Pid));
        Assert.DoesNotContain(_loggers.Entries, e => e.Message.Contains("died", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dead_worker_closes_its_routers_with_the_reason()
    {
        var events = new RecordingMediaEventSink();
        var router = await _plane.CreateRouterAsync(events);
        var worker = Worker;

        worker.Kill();
        var reason = await Eventually.Within(events.RouterClosedTask, TimeSpan.FromSeconds(1), "RouterClosed");
        output.WriteLine(reason);
        Assert.Contains(worker.Id, reason, StringComparison.Ordinal);
        Assert.Contains("SIGKILL", reason, StringComparison.Ordinal);
        Assert.Equal(0, worker.RouterCount);
        Assert.Equal(0, _plane.RouterCount);
        var error = await Assert.ThrowsAsync<MediaRouterClosedException>(() => router.CreateWebRtcTransportAsync(1, new WebRtcTransportOptions()));
        Assert.Equal(reason, error.Message);
        await router.DisposeAsync();
    }

    private static Task Produce(IMediaRouter router, uint producerId, CapturedProducer producer) =>
        router.CreateProducerAsync(producerId, AliceSend, producer.Kind, producer.RtpParameters, producer.RtpMapping, false);

    private static async Task Consume(IMediaRouter router, uint consumerId, uint producerId, CapturedProducer producer)
    {
        await router.CreateConsumerAsync(consumerId, producerId, producer.Kind);
        await router.EnableConsumerAsync(consumerId, BobRecv, producer.ConsumerParametersFor("bob"));
    }

    private static uint WorkerId(WorkerMediaRouter router, MediaObjectKind kind, uint protocolId) =>
        router.WorkerObjectIdOf(kind, protocolId) ?? throw new InvalidOperationException($"{kind} {protocolId} is not live");

    private static Task<JsonElement> Dump(WorkerMediaRouter router, string kind, uint workerId) =>
        router.Worker.Channel.RequestAsync($"{kind}.dump", Target(router, kind, workerId));

    private static async Task AssertGone(WorkerMediaRouter router, string kind, uint workerId, string reason)
    {
        var error = await Assert.ThrowsAsync<WorkerRequestException>(() => Dump(router, kind, workerId));
        Assert.Equal(reason, error.Message);
    }

    private static WorkerInternal Target(WorkerMediaRouter router, string kind, uint workerId) => kind switch
    {
        "transport" => new(RouterId: router.RouterObjectId, TransportId: workerId),
        "producer" => new(RouterId: router.RouterObjectId, ProducerId: workerId),
        _ => new(RouterId: router.RouterObjectId, ConsumerId: workerId),
    };
}
