using System.Text.Json;
using Coordinator.Grains.Media;

namespace Coordinator.MediaPlane.Tests.Contract;

/// <summary>Per-object dumps (the admin API's room dump): protocol ids, current state, the worker's shapes.</summary>
public abstract partial class MediaPlaneContract
{
    [Fact]
    public async Task Transport_dumps_show_protocol_ids_ice_dtls_and_the_rtp_listener()
    {
        var (router, events) = await NewRouterAsync();
        var send = await router.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());
        var recv = await router.CreateWebRtcTransportAsync(BobRecv, new WebRtcTransportOptions());
        await router.SetRemoteDtlsParametersAsync(AliceSend, CapturedMedia.SendTransportDtls);
        await CreateProducerAsync(router, AliceAudio, AliceSend, CapturedMedia.AliceAudio);

        var sendDump = await router.DumpTransportAsync(AliceSend);
        Assert.Equal(AliceSend, sendDump.GetProperty("transportId").GetUInt32());
        Assert.Equal(
            send.IceParameters.GetProperty("usernameFragment").GetString(),
            sendDump.GetProperty("iceLocalParameters").GetProperty("usernameFragment").GetString());
        Assert.Equal(send.IceCandidates.GetArrayLength(), sendDump.GetProperty("iceLocalCandidates").GetArrayLength());
        Assert.Equal("client", sendDump.GetProperty("dtlsLocalParameters").GetProperty("role").GetString());
        Assert.Equal("new", sendDump.GetProperty("iceState").GetString());
        Assert.Equal(JsonValueKind.String, sendDump.GetProperty("dtlsState").ValueKind);
        var ssrc = CapturedMedia.AliceAudio.RtpParameters.GetProperty("encodings")[0].GetProperty("ssrc").GetInt64();
        var listener = sendDump.GetProperty("rtpListener").GetProperty("ssrcTable");
        Assert.Equal(AliceAudio, listener.GetProperty(ssrc.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetUInt32());

        var recvDump = await router.DumpTransportAsync(BobRecv);
        Assert.Equal("auto", recvDump.GetProperty("dtlsLocalParameters").GetProperty("role").GetString());
        Assert.Empty(recvDump.GetProperty("rtpListener").GetProperty("ssrcTable").EnumerateObject());
        var restarted = await router.RestartIceAsync(BobRecv);
        Assert.Equal(
            restarted.GetProperty("usernameFragment").GetString(),
            (await router.DumpTransportAsync(BobRecv)).GetProperty("iceLocalParameters").GetProperty("usernameFragment").GetString());
        Assert.NotEqual(
            recv.IceParameters.GetProperty("usernameFragment").GetString(),
            restarted.GetProperty("usernameFragment").GetString());

        var plain = await router.CreatePlainRtpTransportAsync(1, new PlainRtpTransportOptions("127.0.0.1", 40999, PreferIPv4: true, PreferIPv6: false));
        var plainDump = await router.DumpTransportAsync(1);
        Assert.Equal(1u, plainDump.GetProperty("transportId").GetUInt32());
        Assert.Equal(plain.LocalIp, plainDump.GetProperty("localIP").GetString());
        Assert.Equal(plain.LocalPort, plainDump.GetProperty("localPort").GetInt32());
        Assert.Equal(40999, plainDump.GetProperty("tuple").GetProperty("remotePort").GetInt32());
        Assert.Empty(events.Events);
    }

    [Fact]
    public async Task Producer_and_consumer_dumps_follow_pause_enable_and_profile()
    {
        var (router, _) = await NewRouterAsync();
        await PublishAliceAsync(router);
        var ssrc = CapturedMedia.AliceAudio.RtpParameters.GetProperty("encodings")[0].GetProperty("ssrc").GetInt64();

        var producer = await router.DumpProducerAsync(AliceAudio);
        Assert.Equal(AliceAudio, producer.GetProperty("producerId").GetUInt32());
        Assert.Equal("audio", producer.GetProperty("kind").GetString());
        Assert.False(producer.GetProperty("paused").GetBoolean());
        Assert.Equal(ssrc, producer.GetProperty("rtpParameters").GetProperty("encodings")[0].GetProperty("ssrc").GetInt64());
        await router.PauseProducerAsync(AliceAudio);
        Assert.True((await router.DumpProducerAsync(AliceAudio)).GetProperty("paused").GetBoolean());

        await router.CreateConsumerAsync(BobAudio, AliceAudio, "audio");
        var disabled = await router.DumpConsumerAsync(BobAudio);
        Assert.Equal(BobAudio, disabled.GetProperty("consumerId").GetUInt32());
        Assert.Equal(AliceAudio, disabled.GetProperty("sourceProducerId").GetUInt32());
        Assert.Equal("audio", disabled.GetProperty("kind").GetString());
        Assert.False(disabled.GetProperty("paused").GetBoolean());
        Assert.True(disabled.GetProperty("sourcePaused").GetBoolean());
        Assert.Equal("default", disabled.GetProperty("preferredProfile").GetString());
        Assert.Equal("none", disabled.GetProperty("effectiveProfile").GetString());
        Assert.False(disabled.TryGetProperty("rtpParameters", out _), "a disabled consumer has no RTP parameters in its dump");

        var parameters = CapturedMedia.AliceAudio.ConsumerParametersFor("bob");
        await router.EnableConsumerAsync(BobAudio, BobRecv, parameters);
        await router.PauseConsumerAsync(BobAudio);
        await router.SetConsumerPreferredProfileAsync(BobAudio, "low");
        await router.ResumeProducerAsync(AliceAudio);
        var enabled = await router.DumpConsumerAsync(BobAudio);
        Assert.True(enabled.GetProperty("paused").GetBoolean());
        Assert.False(enabled.GetProperty("sourcePaused").GetBoolean());
        Assert.Equal("low", enabled.GetProperty("preferredProfile").GetString());
        Assert.Equal(
            parameters.GetProperty("encodings")[0].GetProperty("ssrc").GetInt64(),
            enabled.GetProperty("rtpParameters").GetProperty("encodings")[0].GetProperty("ssrc").GetInt64());
    }

    [Fact]
    public async Task Dumps_of_unknown_objects_are_rejected_and_a_closed_router_dumps_nothing()
    {
        var (router, _) = await NewRouterAsync();
        await PublishAliceAsync(router);

        await AssertRejected("Transport not found", () => router.DumpTransportAsync(1));
        await AssertRejected("Producer not found", () => router.DumpProducerAsync(1));
        await AssertRejected("Consumer not found", () => router.DumpConsumerAsync(1));

        await router.DisposeAsync();
        await Assert.ThrowsAsync<MediaRouterClosedException>(() => router.DumpTransportAsync(AliceSend));
        await Assert.ThrowsAsync<MediaRouterClosedException>(() => router.DumpProducerAsync(AliceAudio));
    }
}
