using System.Diagnostics;
using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.TestSupport;
using Coordinator.TestSupport.Media;

namespace Coordinator.MediaPlane.Tests.Contract;

/// <summary>
/// What every <see cref="IMediaPlane"/> must do, run against the real worker plane and the
/// in-memory double (the subclasses). Ids and parameters come from the captured Chromium session
/// where it matters. Events a call causes must have been delivered when the call returns (the
/// real worker writes them before its reply), so absences are checked right after a call, without
/// waiting.
/// </summary>
public abstract partial class MediaPlaneContract : IAsyncLifetime
{
    // Ids from the captured session: alice's send transport and producers, bob's and carol's recv
    // transports and consumers.
    protected const uint AliceSend = 35700763;
    protected const uint AliceAudio = 88552448;
    protected const uint AliceVideo = 26617169;
    protected const uint BobRecv = 79573029;
    protected const uint BobAudio = 22079766;
    protected const uint BobVideo = 21950797;
    protected const uint CarolRecv = 36620073;
    protected const uint CarolAudio = 81174269;
    protected const uint CarolVideo = 86926922;

    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);

    private readonly List<IMediaRouter> _routers = [];

    protected IMediaPlane Plane { get; private set; } = null!;

    public async Task InitializeAsync() => Plane = await StartPlaneAsync();

    public async Task DisposeAsync()
    {
        foreach (var router in _routers)
        {
            await router.DisposeAsync();
        }

        await StopPlaneAsync();
    }

    protected abstract Task<IMediaPlane> StartPlaneAsync();

    protected abstract Task StopPlaneAsync();

    /// <summary>Kills (or simulates the death of) the worker the router lives on.</summary>
    protected abstract void KillWorkerOf(IMediaRouter router);

    protected async Task<(IMediaRouter Router, RecordingMediaEventSink Events)> NewRouterAsync()
    {
        var events = new RecordingMediaEventSink();
        var router = await Plane.CreateRouterAsync(events);
        _routers.Add(router);
        return (router, events);
    }

    /// <summary>alice's send transport with her DTLS parameters, her audio and video producers, and bob's recv transport.</summary>
    protected static async Task PublishAliceAsync(IMediaRouter router)
    {
        await router.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());
        Assert.Equal("client", await router.SetRemoteDtlsParametersAsync(AliceSend, CapturedMedia.SendTransportDtls));
        await CreateProducerAsync(router, AliceAudio, AliceSend, CapturedMedia.AliceAudio);
        await CreateProducerAsync(router, AliceVideo, AliceSend, CapturedMedia.AliceVideo);
        await router.CreateWebRtcTransportAsync(BobRecv, new WebRtcTransportOptions());
    }

    protected static Task CreateProducerAsync(IMediaRouter router, uint producerId, uint transportId, CapturedProducer producer, bool paused = false) =>
        router.CreateProducerAsync(producerId, transportId, producer.Kind, producer.RtpParameters, producer.RtpMapping, paused);

    /// <summary>Creates a consumer of a captured producer and enables it for a peer's captured capabilities.</summary>
    protected static async Task<JsonElement> ConsumeAsync(
        IMediaRouter router, uint consumerId, uint producerId, CapturedProducer producer, uint transportId, string peer)
    {
        await router.CreateConsumerAsync(consumerId, producerId, producer.Kind);
        var parameters = producer.ConsumerParametersFor(peer);
        await router.EnableConsumerAsync(consumerId, transportId, parameters);
        return parameters;
    }

    protected static async Task<MediaPlaneException> AssertRejected(string reason, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<MediaPlaneException>(call);
        Assert.Equal(reason, error.Message);
        return error;
    }

    /// <summary>For calls that must answer: a real worker that never replies would time out much later.</summary>
    protected static async Task Promptly(Task call, string what)
    {
        var clock = Stopwatch.StartNew();
        await call.WaitAsync(Prompt);
        Assert.True(clock.Elapsed < Prompt, $"{what} took {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    protected static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    protected static void AssertDisabledStats(JsonElement stats)
    {
        Assert.Equal(JsonValueKind.Array, stats.ValueKind);
        Assert.Equal(0, stats.GetArrayLength());
    }

    /// <summary>An enabled consumer without media: one outbound-rtp entry with its ssrc, on its transport (protocol id).</summary>
    protected static void AssertSendingStats(JsonElement stats, JsonElement consumerParameters, uint transportId)
    {
        Assert.Equal(JsonValueKind.Array, stats.ValueKind);
        var outbound = Assert.Single(stats.EnumerateArray(), entry => entry.GetProperty("type").GetString() == "outbound-rtp");
        Assert.Equal(consumerParameters.GetProperty("encodings")[0].GetProperty("ssrc").GetInt64(), outbound.GetProperty("ssrc").GetInt64());
        Assert.Equal(transportId, outbound.GetProperty("transportId").GetUInt32());
    }

    [Fact]
    public async Task Router_opens_on_a_worker_and_closes_idempotently_without_events()
    {
        var (router, events) = await NewRouterAsync();
        Assert.False(string.IsNullOrEmpty(router.WorkerId));
        Assert.False(router.IsClosed);
        await router.CreateWebRtcTransportAsync(1, new WebRtcTransportOptions());

        await router.DisposeAsync();
        Assert.True(router.IsClosed);
        await router.DisposeAsync();
        await Assert.ThrowsAsync<MediaRouterClosedException>(() => router.CreateWebRtcTransportAsync(2, new WebRtcTransportOptions()));
        await Assert.ThrowsAsync<MediaRouterClosedException>(() => router.GetTransportStatsAsync(1));
        await Assert.ThrowsAsync<MediaRouterClosedException>(() => router.SetAudioLevelsEventAsync(true));
        Assert.Empty(events.Events);
    }

    [Fact]
    public async Task Killing_the_worker_closes_its_routers_within_a_second_and_a_new_router_can_be_created()
    {
        var (first, firstEvents) = await NewRouterAsync();
        var (second, secondEvents) = await NewRouterAsync();
        Assert.Equal(first.WorkerId, second.WorkerId);
        await PublishAliceAsync(first);
        var deadWorker = first.WorkerId;

        var clock = Stopwatch.StartNew();
        KillWorkerOf(first);
        var reason = await Eventually.Within(firstEvents.RouterClosedTask, TimeSpan.FromSeconds(1), "RouterClosed of the first router");
        await Eventually.Within(secondEvents.RouterClosedTask, TimeSpan.FromSeconds(1), "RouterClosed of the second router");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"RouterClosed after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.False(string.IsNullOrEmpty(reason));

        Assert.True(first.IsClosed);
        await Assert.ThrowsAsync<MediaRouterClosedException>(() => first.PauseProducerAsync(AliceAudio));
        await Assert.ThrowsAsync<MediaRouterClosedException>(() => first.CreateWebRtcTransportAsync(2, new WebRtcTransportOptions()));
        await Assert.ThrowsAsync<MediaRouterClosedException>(() => second.GetTransportStatsAsync(1));
        await first.DisposeAsync();
        Assert.Single(firstEvents.Named(nameof(IMediaEventSink.RouterClosed)));
        Assert.Single(secondEvents.Named(nameof(IMediaEventSink.RouterClosed)));

        // The replacement takes new rooms (the real pool restarts it within about a second).
        IMediaRouter? replacement = null;
        await Eventually.True(
            async () =>
            {
                try
                {
                    replacement = (await NewRouterAsync()).Router;
                    return true;
                }
                catch (MediaPlaneException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(10),
            "a router on the replacement worker");
        Assert.NotEqual(deadWorker, replacement!.WorkerId);
        await PublishAliceAsync(replacement);
    }

    [Fact]
    public async Task Audio_levels_switch_answers_promptly_whatever_its_state()
    {
        var (router, _) = await NewRouterAsync();

        // The worker never answers a request that repeats the current value: a fresh router is off.
        await Promptly(router.SetAudioLevelsEventAsync(false), "audio levels off on a fresh router");
        await Promptly(router.SetAudioLevelsEventAsync(true), "audio levels on");
        await Promptly(router.SetAudioLevelsEventAsync(true), "audio levels on again");
        await Promptly(router.SetAudioLevelsEventAsync(false), "audio levels off");
        await Promptly(router.SetAudioLevelsEventAsync(false), "audio levels off again");
        await router.CreateWebRtcTransportAsync(1, new WebRtcTransportOptions());
    }
}
