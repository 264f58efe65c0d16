using System.Text.Json;
using Coordinator.Grains.Media;

namespace Coordinator.MediaPlane.Tests.Contract;

/// <summary>Plain RTP transports, and the WebRTC-only methods that must never reach the worker for them.</summary>
public abstract partial class MediaPlaneContract
{
    [Fact]
    public async Task Plain_transport_reports_its_local_address_and_takes_remote_parameters()
    {
        var (router, _) = await NewRouterAsync();

        var local = await router.CreatePlainRtpTransportAsync(1, new PlainRtpTransportOptions(null, null, PreferIPv4: false, PreferIPv6: false));
        Assert.Equal("127.0.0.1", local.LocalIp);
        Assert.InRange(local.LocalPort, 1, 65535);
        await router.SetRemotePlainParametersAsync(1, "127.0.0.1", 5004);
        await AssertRejected("invalid destination IP 'nope'", () => router.SetRemotePlainParametersAsync(1, "nope", 5004));
        await AssertRejected("Transport not found", () => router.SetRemotePlainParametersAsync(2, "127.0.0.1", 5004));

        var connected = await router.CreatePlainRtpTransportAsync(2, new PlainRtpTransportOptions("127.0.0.1", 5006, PreferIPv4: true, PreferIPv6: false));
        Assert.Equal("127.0.0.1", connected.LocalIp);
        Assert.NotEqual(local.LocalPort, connected.LocalPort);

        // Plain transports answer stats with an empty object, not an array.
        var stats = await router.GetTransportStatsAsync(1);
        Assert.Equal(JsonValueKind.Object, stats.ValueKind);
        Assert.Empty(stats.EnumerateObject());

        // A plain transport carries producers and consumers like a WebRTC one (an RTP streamer).
        await CreateProducerAsync(router, AliceAudio, 1, CapturedMedia.AliceAudio);
        var parameters = await ConsumeAsync(router, BobAudio, AliceAudio, CapturedMedia.AliceAudio, 2, "bob");
        AssertSendingStats(await router.GetConsumerStatsAsync(BobAudio), parameters, 2);
        await router.CloseTransportAsync(1);
        await AssertRejected("Consumer not found", () => router.GetConsumerStatsAsync(BobAudio));
    }

    [Fact]
    public async Task Plain_transport_creation_failures_leave_the_id_free()
    {
        var (router, events) = await NewRouterAsync();

        await AssertRejected("missing remotePort", () => router.CreatePlainRtpTransportAsync(1, new PlainRtpTransportOptions("127.0.0.1", null, false, false)));
        await AssertRejected("invalid destination IP 'not-an-ip'", () => router.CreatePlainRtpTransportAsync(1, new PlainRtpTransportOptions("not-an-ip", 5004, false, false)));
        await router.CreatePlainRtpTransportAsync(1, new PlainRtpTransportOptions("127.0.0.1", 5004, false, false));
        Assert.Empty(events.Events);
    }

    [Fact]
    public async Task WebRtc_only_calls_on_a_plain_transport_are_refused_and_the_worker_survives()
    {
        var (router, events) = await NewRouterAsync();
        await router.CreatePlainRtpTransportAsync(1, new PlainRtpTransportOptions(null, null, false, false));
        await router.CreateWebRtcTransportAsync(2, new WebRtcTransportOptions());

        // Each of these crashes a real worker (SIGSEGV) if it reaches it.
        await AssertRejected(
            "transport.setRemoteDtlsParameters is not supported by a plain RTP transport",
            () => router.SetRemoteDtlsParametersAsync(1, CapturedMedia.SendTransportDtls));
        await AssertRejected("transport.changeUfragPwd is not supported by a plain RTP transport", () => router.RestartIceAsync(1));
        await AssertRejected(
            "transport.setRemoteParameters is not supported by a WebRTC transport",
            () => router.SetRemotePlainParametersAsync(2, "127.0.0.1", 5004));

        // Still alive and answering.
        Assert.False(router.IsClosed);
        await router.GetTransportStatsAsync(1);
        Assert.Equal("client", await router.SetRemoteDtlsParametersAsync(2, CapturedMedia.SendTransportDtls));
        await router.RestartIceAsync(2);
        await router.SetRemotePlainParametersAsync(1, "127.0.0.1", 5004);
        await router.CreateWebRtcTransportAsync(3, new WebRtcTransportOptions());
        Assert.Empty(events.Events);
    }
}
