using System.Text.Json;
using Coordinator.Grains.Media;

namespace Coordinator.MediaPlane.Tests.Contract;

/// <summary>Producers with the real Chromium parameters, their rejections, pause and resume.</summary>
public abstract partial class MediaPlaneContract
{
    [Fact]
    public async Task Producers_accept_the_captured_chromium_audio_and_video_parameters()
    {
        var (router, events) = await NewRouterAsync();
        await PublishAliceAsync(router);

        AssertDisabledStats(await router.GetProducerStatsAsync(AliceAudio));
        AssertDisabledStats(await router.GetProducerStatsAsync(AliceVideo));
        await router.SetProducerPreferredProfileAsync(AliceVideo, "low");
        await router.SetProducerPreferredProfileAsync(AliceVideo, "default");
        Assert.Empty(events.Events);
    }

    [Fact]
    public async Task Producer_ids_ssrcs_and_mux_ids_are_checked_in_the_worker_order()
    {
        var (router, _) = await NewRouterAsync();
        await PublishAliceAsync(router);
        var audio = CapturedMedia.AliceAudio;
        var ssrc = audio.RtpParameters.GetProperty("encodings")[0].GetProperty("ssrc").GetInt64();

        // The new id is checked before the transport.
        await AssertRejected("a Producer with same producerId already exists", () => CreateProducerAsync(router, AliceAudio, 1, audio));
        await AssertRejected("Transport not found", () => CreateProducerAsync(router, 1, 1, audio));

        // The transport's RTP listener: ssrcs first, then the muxId.
        await AssertRejected($"ssrc already exists in RTP listener [ssrc:{ssrc}]", () => CreateProducerAsync(router, 1, AliceSend, audio));
        await AssertRejected(
            "muxId already exists in RTP listener [muxId:'0']",
            () => router.CreateProducerAsync(1, AliceSend, "audio", audio.RtpParametersWithSsrcOffset(1, "0"), audio.RtpMapping, false));
        await router.CreateProducerAsync(1, AliceSend, "audio", audio.RtpParametersWithSsrcOffset(1, "5"), audio.RtpMapping, false);

        // The listener is per transport, and a closed producer leaves it.
        await router.CreateWebRtcTransportAsync(2, new WebRtcTransportOptions());
        await CreateProducerAsync(router, 2, 2, audio);
        await router.CloseProducerAsync(AliceAudio);
        await CreateProducerAsync(router, AliceAudio, AliceSend, audio);
    }

    [Fact]
    public async Task Producer_rejections_carry_the_worker_reason_verbatim()
    {
        var (router, _) = await NewRouterAsync();
        await router.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());
        var audio = CapturedMedia.AliceAudio;
        Task Create(string kind, JsonElement parameters, JsonElement mapping) =>
            router.CreateProducerAsync(AliceAudio, AliceSend, kind, parameters, mapping, false);

        await AssertRejected("invalid media kind [kind:foo]", () => Create("foo", audio.RtpParameters, audio.RtpMapping));
        await AssertRejected("invalid empty kind", () => Create(string.Empty, audio.RtpParameters, audio.RtpMapping));
        await AssertRejected("missing data.rtpParameters", () => Create("audio", default, audio.RtpMapping));
        await AssertRejected("missing data.rtpMapping", () => Create("audio", audio.RtpParameters, default));
        var badCodec = Json(audio.RtpParameters.GetRawText().Replace("audio/opus", "audio/foo", StringComparison.Ordinal));
        await AssertRejected("unknown codec MIME subtype 'foo'", () => Create("audio", badCodec, audio.RtpMapping));
        await AssertRejected("missing rtpParameters.codecs", () => Create("audio", Json("""{"encodings":[{"ssrc":1}]}"""), audio.RtpMapping));
        await AssertRejected("missing rtpMapping.codecPayloadTypes", () => Create("audio", audio.RtpParameters, Json("{}")));
        await AssertRejected(
            "wrong rtpMapping.codecPayloadTypes entry",
            () => Create("audio", audio.RtpParameters, Json("""{"codecPayloadTypes":[[111]],"headerExtensionIds":[]}""")));

        // None of these took the id; the kind is case-insensitive in the worker.
        await Create("Audio", audio.RtpParameters, audio.RtpMapping);

        await AssertRejected("unknown profile", () => router.SetProducerPreferredProfileAsync(AliceAudio, "ultra"));
        await AssertRejected("invalid profile", () => router.SetProducerPreferredProfileAsync(AliceAudio, "none"));
        await AssertRejected("Producer not found", () => router.PauseProducerAsync(AliceVideo));
        await AssertRejected("Producer not found", () => router.ResumeProducerAsync(AliceVideo));
        await AssertRejected("Producer not found", () => router.GetProducerStatsAsync(AliceVideo));
        await AssertRejected("Producer not found", () => router.CloseProducerAsync(AliceVideo));
    }

    [Fact]
    public async Task Producer_pause_and_resume_reach_every_consumer_once_per_real_change()
    {
        var (router, events) = await NewRouterAsync();
        await PublishAliceAsync(router);
        await ConsumeAsync(router, BobAudio, AliceAudio, CapturedMedia.AliceAudio, BobRecv, "bob");
        await router.CreateConsumerAsync(CarolAudio, AliceAudio, "audio");
        await router.CreateConsumerAsync(BobVideo, AliceVideo, "video");
        Assert.Empty(events.Events);

        // Enabled or not, every consumer of the producer hears of it before the call returns.
        await router.PauseProducerAsync(AliceAudio);
        AssertEvents(events, [new(nameof(IMediaEventSink.ConsumerSourcePaused), BobAudio), new(nameof(IMediaEventSink.ConsumerSourcePaused), CarolAudio)]);
        await router.PauseProducerAsync(AliceAudio);
        Assert.Equal(2, events.Events.Count);

        await router.ResumeProducerAsync(AliceAudio);
        AssertEvents(
            events,
            [
                new(nameof(IMediaEventSink.ConsumerSourcePaused), BobAudio), new(nameof(IMediaEventSink.ConsumerSourcePaused), CarolAudio),
                new(nameof(IMediaEventSink.ConsumerSourceResumed), BobAudio), new(nameof(IMediaEventSink.ConsumerSourceResumed), CarolAudio),
            ]);
        await router.ResumeProducerAsync(AliceAudio);
        await router.ResumeProducerAsync(AliceVideo);
        Assert.Equal(4, events.Events.Count);
    }

    [Fact]
    public async Task A_consumer_of_a_paused_producer_reports_source_paused_at_once()
    {
        var (router, events) = await NewRouterAsync();
        await router.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());
        await CreateProducerAsync(router, AliceAudio, AliceSend, CapturedMedia.AliceAudio, paused: true);
        await CreateProducerAsync(router, AliceVideo, AliceSend, CapturedMedia.AliceVideo);

        await router.CreateConsumerAsync(BobAudio, AliceAudio, "audio");
        AssertEvents(events, [new(nameof(IMediaEventSink.ConsumerSourcePaused), BobAudio)]);

        await router.PauseProducerAsync(AliceVideo);
        await router.CreateConsumerAsync(BobVideo, AliceVideo, "video");
        AssertEvents(events, [new(nameof(IMediaEventSink.ConsumerSourcePaused), BobAudio), new(nameof(IMediaEventSink.ConsumerSourcePaused), BobVideo)]);

        await router.ResumeProducerAsync(AliceAudio);
        Assert.Equal(new MediaEventRecordKey(nameof(IMediaEventSink.ConsumerSourceResumed), BobAudio), Key(events.Events[^1]));
    }

    /// <summary>The events so far, as a set (the worker's order among consumers is its hash order).</summary>
    protected static void AssertEvents(TestSupport.Media.RecordingMediaEventSink events, MediaEventRecordKey[] expected) =>
        Assert.Equal(
            expected.Order().ToArray(),
            events.Events.Select(Key).Order().ToArray());

    protected static MediaEventRecordKey Key(TestSupport.Media.MediaEventRecord record) => new(record.Name, record.Id);
}

/// <summary>An event without its value, for comparisons.</summary>
public readonly record struct MediaEventRecordKey(string Name, uint Id) : IComparable<MediaEventRecordKey>
{
    public int CompareTo(MediaEventRecordKey other) =>
        string.CompareOrdinal(Name, other.Name) is var byName and not 0 ? byName : Id.CompareTo(other.Id);
}
