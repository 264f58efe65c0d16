using System.Text.Json.Nodes;
using Coordinator.Grains.Media;

namespace Coordinator.MediaPlane.Tests.Contract;

/// <summary>Consumers with the parameters the Room computes for bob's and carol's real capabilities.</summary>
public abstract partial class MediaPlaneContract
{
    [Fact]
    public async Task Consumers_start_disabled_and_send_once_enabled_with_the_computed_parameters()
    {
        var (router, events) = await NewRouterAsync();
        await PublishAliceAsync(router);
        await router.CreateWebRtcTransportAsync(CarolRecv, new WebRtcTransportOptions());

        // The reference order: consumers exist before the recv transport has remote DTLS parameters.
        await router.CreateConsumerAsync(BobAudio, AliceAudio, "audio");
        await router.CreateConsumerAsync(BobVideo, AliceVideo, "video");
        AssertDisabledStats(await router.GetConsumerStatsAsync(BobAudio));
        AssertDisabledStats(await router.GetConsumerStatsAsync(BobVideo));

        var bobAudio = CapturedMedia.AliceAudio.ConsumerParametersFor("bob");
        var bobVideo = CapturedMedia.AliceVideo.ConsumerParametersFor("bob");
        await router.EnableConsumerAsync(BobAudio, BobRecv, bobAudio);
        await router.EnableConsumerAsync(BobVideo, BobRecv, bobVideo);
        Assert.Equal("server", await router.SetRemoteDtlsParametersAsync(BobRecv, CapturedMedia.RecvTransportDtls));
        AssertSendingStats(await router.GetConsumerStatsAsync(BobAudio), bobAudio, BobRecv);
        AssertSendingStats(await router.GetConsumerStatsAsync(BobVideo), bobVideo, BobRecv);

        var carolAudio = await ConsumeAsync(router, CarolAudio, AliceAudio, CapturedMedia.AliceAudio, CarolRecv, "carol");
        var carolVideo = await ConsumeAsync(router, CarolVideo, AliceVideo, CapturedMedia.AliceVideo, CarolRecv, "carol");
        AssertSendingStats(await router.GetConsumerStatsAsync(CarolAudio), carolAudio, CarolRecv);
        AssertSendingStats(await router.GetConsumerStatsAsync(CarolVideo), carolVideo, CarolRecv);

        // Local consumer controls cause no events.
        await router.PauseConsumerAsync(BobVideo);
        await router.ResumeConsumerAsync(BobVideo);
        await router.SetConsumerPreferredProfileAsync(BobVideo, "low");
        await router.RequestConsumerKeyFrameAsync(BobVideo);
        await router.RequestConsumerKeyFrameAsync(CarolAudio);
        Assert.Empty(events.Events);
    }

    [Fact]
    public async Task Consumer_rejections_carry_the_reference_texts_in_the_worker_order()
    {
        var (router, _) = await NewRouterAsync();
        await PublishAliceAsync(router);
        await router.CreateConsumerAsync(BobAudio, AliceAudio, "audio");
        var parameters = CapturedMedia.AliceAudio.ConsumerParametersFor("bob");

        // The new id first, then the producer, then the kind.
        await AssertRejected("a Consumer with same consumerId already exists", () => router.CreateConsumerAsync(BobAudio, 1, "video"));
        await AssertRejected("Producer not found", () => router.CreateConsumerAsync(BobVideo, 1, "video"));
        await AssertRejected("not matching kind", () => router.CreateConsumerAsync(BobVideo, AliceAudio, "video"));

        // The consumer first, then the transport, then the parameters.
        await AssertRejected("Consumer not found", () => router.EnableConsumerAsync(BobVideo, 1, parameters));
        await AssertRejected("Transport not found", () => router.EnableConsumerAsync(BobAudio, 1, parameters));
        await AssertRejected("missing data.rtpParameters", () => router.EnableConsumerAsync(BobAudio, BobRecv, default));
        var withoutSsrc = JsonNode.Parse(parameters.GetRawText())!;
        withoutSsrc["encodings"] = new JsonArray(new JsonObject());
        await AssertRejected("missing rtpParameters.encodings[0].ssrc", () => router.EnableConsumerAsync(BobAudio, BobRecv, Json(withoutSsrc.ToJsonString())));
        var withoutCodecs = JsonNode.Parse(parameters.GetRawText())!;
        withoutCodecs["codecs"] = new JsonArray();
        await AssertRejected("empty rtpParameters.codecs", () => router.EnableConsumerAsync(BobAudio, BobRecv, Json(withoutCodecs.ToJsonString())));
        AssertDisabledStats(await router.GetConsumerStatsAsync(BobAudio));

        await AssertRejected("invalid profile", () => router.SetConsumerPreferredProfileAsync(BobAudio, "none"));
        await AssertRejected("unknown profile", () => router.SetConsumerPreferredProfileAsync(BobAudio, "ultra"));
        await AssertRejected("Consumer not found", () => router.PauseConsumerAsync(BobVideo));
        await AssertRejected("Consumer not found", () => router.ResumeConsumerAsync(BobVideo));
        await AssertRejected("Consumer not found", () => router.RequestConsumerKeyFrameAsync(BobVideo));
        await AssertRejected("Consumer not found", () => router.GetConsumerStatsAsync(BobVideo));
        await AssertRejected("Consumer not found", () => router.CloseConsumerAsync(BobVideo));

        // Rejected creations did not take the id.
        await router.CreateConsumerAsync(BobVideo, AliceVideo, "video");
    }

    [Fact]
    public async Task Our_own_consumer_close_is_not_reported_back()
    {
        var (router, events) = await NewRouterAsync();
        await PublishAliceAsync(router);
        await ConsumeAsync(router, BobAudio, AliceAudio, CapturedMedia.AliceAudio, BobRecv, "bob");

        await router.CloseConsumerAsync(BobAudio);
        Assert.Empty(events.Events);
        await AssertRejected("Consumer not found", () => router.GetConsumerStatsAsync(BobAudio));
        await router.PauseProducerAsync(AliceAudio);
        Assert.Empty(events.Events);

        // The id is free again.
        await router.CreateConsumerAsync(BobAudio, AliceAudio, "audio");
        AssertEvents(events, [new(nameof(IMediaEventSink.ConsumerSourcePaused), BobAudio)]);
    }
}
