using Coordinator.Grains.Media;
using Coordinator.TestSupport.Media;

namespace Coordinator.MediaPlane.Tests.Contract;

/// <summary>The contract against the in-memory double, plus its test-only controls.</summary>
public sealed class InMemoryMediaPlaneContractTests : MediaPlaneContract
{
    private InMemoryMediaPlane _plane = null!;

    protected override Task<IMediaPlane> StartPlaneAsync()
    {
        _plane = new InMemoryMediaPlane();
        return Task.FromResult<IMediaPlane>(_plane);
    }

    protected override Task StopPlaneAsync() => Task.CompletedTask;

    protected override void KillWorkerOf(IMediaRouter router) => _plane.FailWorker();

    [Fact]
    public async Task Tests_can_see_live_objects_and_play_the_worker_part()
    {
        var (mediaRouter, events) = await NewRouterAsync();
        var router = Assert.IsType<InMemoryMediaRouter>(mediaRouter);
        await PublishAliceAsync(router);
        await ConsumeAsync(router, BobAudio, AliceAudio, CapturedMedia.AliceAudio, BobRecv, "bob");
        await router.CreateConsumerAsync(CarolAudio, AliceAudio, "audio");

        Assert.Equal([AliceSend, BobRecv], router.Transports.Order());
        Assert.Equal([AliceVideo, AliceAudio], router.Producers.Order());
        Assert.Equal([BobAudio, CarolAudio], router.Consumers.Order());
        Assert.Equal(BobRecv, router.ConsumerTransport(BobAudio));
        Assert.Null(router.ConsumerTransport(CarolAudio));
        Assert.Same(router, Assert.Single(_plane.Routers));

        router.EmitConsumerEffectiveProfileChanged(BobAudio, "default");
        Assert.Throws<InvalidOperationException>(() => router.EmitConsumerEffectiveProfileChanged(CarolAudio, "default"));
        router.EmitIceStateChanged(BobRecv, "completed");
        router.EmitDtlsStateChanged(BobRecv, "connected");
        var stats = (await router.GetTransportStatsAsync(BobRecv))[0];
        Assert.Equal("completed", stats.GetProperty("iceConnectionState").GetString());
        Assert.Equal("connected", stats.GetProperty("dtlsState").GetString());

        Assert.Throws<InvalidOperationException>(() => router.EmitAudioLevels(new AudioLevel(AliceAudio, -30)));
        await router.SetAudioLevelsEventAsync(true);
        router.EmitAudioLevels(new AudioLevel(AliceAudio, -60), new AudioLevel(99, -1), new AudioLevel(AliceVideo, -20));
        Assert.Equal([new AudioLevel(AliceVideo, -20), new AudioLevel(AliceAudio, -60)], events.Events[^1].Levels);

        router.CloseTransportFromWorker(AliceSend);
        Assert.Equal(
            ["ConsumerEffectiveProfileChanged(22079766, default)", "IceStateChanged(79573029, completed)", "DtlsStateChanged(79573029, connected)"],
            events.Events.Take(3).Select(e => e.ToString()));
        Assert.Equal(new MediaEventRecordKey(nameof(IMediaEventSink.TransportClosed), AliceSend), Key(events.Events[^1]));
        Assert.Empty(router.Producers);
        Assert.Empty(router.Consumers);
    }

    [Fact]
    public async Task An_unavailable_plane_refuses_routers_and_a_failed_worker_is_replaced()
    {
        _plane.Unavailable = true;
        await Assert.ThrowsAsync<MediaPlaneException>(() => NewRouterAsync());
        _plane.Unavailable = false;

        var (router, events) = await NewRouterAsync();
        var before = _plane.WorkerId;
        _plane.FailWorker("boom");
        Assert.Equal("boom", await events.RouterClosedTask);
        Assert.NotEqual(before, _plane.WorkerId);
        Assert.Empty(_plane.Routers);
        Assert.True(router.IsClosed);
        Assert.Equal(1, _plane.RoutersCreated);
    }
}
