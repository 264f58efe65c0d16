using Coordinator.Grains.Media;

namespace Coordinator.MediaPlane.Tests.Contract;

/// <summary>Close cascades (docs/worker-channel.md#events, docs/protocol.md#cascades) and id mapping across objects and routers.</summary>
public abstract partial class MediaPlaneContract
{
    private const uint BobSend = 61000001;
    private const uint BobMic = 61000002;
    private const uint AliceRecv = 61000003;
    private const uint AliceHearsBob = 61000004;

    [Fact]
    public async Task Closing_a_transport_closes_its_producers_consumers_and_only_disables_consumers_sending_on_it()
    {
        var (router, events) = await NewRouterAsync();
        await PublishAliceAsync(router);
        var bobHearsAlice = await ConsumeAsync(router, BobAudio, AliceAudio, CapturedMedia.AliceAudio, BobRecv, "bob");
        await ConsumeAsync(router, BobVideo, AliceVideo, CapturedMedia.AliceVideo, BobRecv, "bob");

        // bob also sends; alice hears him on her own recv transport.
        await router.CreateWebRtcTransportAsync(BobSend, new WebRtcTransportOptions());
        await router.CreateProducerAsync(BobMic, BobSend, "audio", CapturedMedia.AliceAudio.RtpParametersWithSsrcOffset(7, "0"), CapturedMedia.AliceAudio.RtpMapping, false);
        await router.CreateWebRtcTransportAsync(AliceRecv, new WebRtcTransportOptions());
        await ConsumeAsync(router, AliceHearsBob, BobMic, CapturedMedia.AliceAudio, AliceRecv, "alice");

        // bob's recv transport goes: his consumers are disabled, silently, and stay alive.
        await router.CloseTransportAsync(BobRecv);
        Assert.Empty(events.Events);
        AssertDisabledStats(await router.GetConsumerStatsAsync(BobAudio));
        AssertDisabledStats(await router.GetConsumerStatsAsync(BobVideo));
        await router.PauseConsumerAsync(BobAudio);
        await router.ResumeConsumerAsync(BobAudio);

        // …and can be enabled again on another transport, even one with the same id.
        await router.CreateWebRtcTransportAsync(BobRecv, new WebRtcTransportOptions());
        await router.EnableConsumerAsync(BobAudio, BobRecv, bobHearsAlice);
        AssertSendingStats(await router.GetConsumerStatsAsync(BobAudio), bobHearsAlice, BobRecv);

        // alice's send transport goes: her producers go silently, their consumers are reported closed.
        await router.CloseTransportAsync(AliceSend);
        AssertEvents(events, [new(nameof(IMediaEventSink.ConsumerClosed), BobAudio), new(nameof(IMediaEventSink.ConsumerClosed), BobVideo)]);
        await AssertRejected("Producer not found", () => router.PauseProducerAsync(AliceAudio));
        await AssertRejected("Producer not found", () => router.CloseProducerAsync(AliceVideo));
        await AssertRejected("Consumer not found", () => router.GetConsumerStatsAsync(BobAudio));
        await AssertRejected("Consumer not found", () => router.GetConsumerStatsAsync(BobVideo));
        await AssertRejected("Transport not found", () => router.GetTransportStatsAsync(AliceSend));
        await AssertRejected("Transport not found", () => router.CloseTransportAsync(AliceSend));

        // The rest of the room is untouched, and the ids are free again.
        await router.PauseProducerAsync(BobMic);
        Assert.Equal(new MediaEventRecordKey(nameof(IMediaEventSink.ConsumerSourcePaused), AliceHearsBob), Key(events.Events[^1]));
        await router.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());
        await CreateProducerAsync(router, AliceAudio, AliceSend, CapturedMedia.AliceAudio);
        await router.CreateConsumerAsync(BobAudio, AliceAudio, "audio");
        Assert.Equal(3, events.Events.Count);
        Assert.DoesNotContain(events.Events, e => e.Name == nameof(IMediaEventSink.TransportClosed));
    }

    [Fact]
    public async Task Closing_a_producer_closes_and_reports_each_of_its_consumers()
    {
        var (router, events) = await NewRouterAsync();
        await PublishAliceAsync(router);
        await ConsumeAsync(router, BobVideo, AliceVideo, CapturedMedia.AliceVideo, BobRecv, "bob");
        await router.CreateConsumerAsync(CarolVideo, AliceVideo, "video");
        await router.CreateConsumerAsync(BobAudio, AliceAudio, "audio");

        await router.CloseProducerAsync(AliceVideo);
        AssertEvents(events, [new(nameof(IMediaEventSink.ConsumerClosed), BobVideo), new(nameof(IMediaEventSink.ConsumerClosed), CarolVideo)]);
        await AssertRejected("Consumer not found", () => router.GetConsumerStatsAsync(BobVideo));
        await AssertRejected("Consumer not found", () => router.CloseConsumerAsync(CarolVideo));
        await AssertRejected("Producer not found", () => router.CloseProducerAsync(AliceVideo));
        AssertDisabledStats(await router.GetConsumerStatsAsync(BobAudio));

        // Its transport lives on.
        await router.CloseTransportAsync(AliceSend);
        Assert.Equal(new MediaEventRecordKey(nameof(IMediaEventSink.ConsumerClosed), BobAudio), Key(events.Events[^1]));
        Assert.Equal(3, events.Events.Count);
    }

    [Fact]
    public async Task One_id_for_a_transport_a_producer_and_a_consumer_in_two_rooms_on_one_worker_stays_apart()
    {
        const uint Same = 777;
        var (first, firstEvents) = await NewRouterAsync();
        var (second, secondEvents) = await NewRouterAsync();
        Assert.Equal(first.WorkerId, second.WorkerId);
        foreach (var router in new[] { first, second })
        {
            await router.CreateWebRtcTransportAsync(Same, new WebRtcTransportOptions());
            await CreateProducerAsync(router, Same, Same, CapturedMedia.AliceAudio);
            await router.CreateConsumerAsync(Same, Same, "audio");
            await router.CreateWebRtcTransportAsync(BobRecv, new WebRtcTransportOptions());
            await router.EnableConsumerAsync(Same, BobRecv, CapturedMedia.AliceAudio.ConsumerParametersFor("bob"));
        }

        await first.PauseProducerAsync(Same);
        AssertEvents(firstEvents, [new(nameof(IMediaEventSink.ConsumerSourcePaused), Same)]);
        Assert.Empty(secondEvents.Events);

        // In the worker, consumer and transport close events would both carry one targetId.
        await first.CloseTransportAsync(Same);
        AssertEvents(
            firstEvents,
            [new(nameof(IMediaEventSink.ConsumerSourcePaused), Same), new(nameof(IMediaEventSink.ConsumerClosed), Same)]);
        Assert.Empty(secondEvents.Events);

        await second.ResumeProducerAsync(Same);
        await second.PauseProducerAsync(Same);
        AssertEvents(secondEvents, [new(nameof(IMediaEventSink.ConsumerSourcePaused), Same)]);
        await second.GetTransportStatsAsync(Same);
        await second.GetConsumerStatsAsync(Same);
    }
}
