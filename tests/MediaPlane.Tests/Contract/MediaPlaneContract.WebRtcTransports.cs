using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Coordinator.Grains.Media;

namespace Coordinator.MediaPlane.Tests.Contract;

/// <summary>
/// WebRTC transports: what the browser needs (docs/protocol.md#what-a-browser-needs), DTLS rules
/// (docs/protocol.md#createtransport), ICE restart (docs/protocol.md#restarttransport).
/// </summary>
public abstract partial class MediaPlaneContract
{
    private static readonly (string Algorithm, int Bytes)[] Fingerprints =
        [("sha-1", 20), ("sha-224", 28), ("sha-256", 32), ("sha-384", 48), ("sha-512", 64)];

    [Fact]
    public async Task WebRtc_transport_parameters_are_usable_by_a_browser()
    {
        var (router, _) = await NewRouterAsync();
        var info = await router.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());

        AssertIceCredentials(info.IceParameters);
        Assert.True(info.IceParameters.GetProperty("iceLite").GetBoolean());

        var candidates = info.IceCandidates.EnumerateArray().ToArray();
        Assert.Equal(["udp", "tcp"], candidates.Select(c => c.GetProperty("protocol").GetString()));
        foreach (var candidate in candidates)
        {
            Assert.Equal($"{candidate.GetProperty("protocol").GetString()}candidate", candidate.GetProperty("foundation").GetString());
            Assert.Equal(1078862079, candidate.GetProperty("priority").GetInt64());
            Assert.True(IPAddress.TryParse(candidate.GetProperty("ip").GetString(), out _), "ip must be an IP literal");
            Assert.InRange(candidate.GetProperty("port").GetInt32(), 1, 65535);
            Assert.Equal("host", candidate.GetProperty("type").GetString());
            Assert.Equal("ipv4", candidate.GetProperty("family").GetString());
        }

        Assert.Equal("passive", candidates[1].GetProperty("tcpType").GetString());
        Assert.False(candidates[0].TryGetProperty("tcpType", out _));

        Assert.Equal("auto", info.DtlsParameters.GetProperty("role").GetString());
        var fingerprints = info.DtlsParameters.GetProperty("fingerprints").EnumerateArray().ToArray();
        Assert.Equal(Fingerprints.Select(f => f.Algorithm), fingerprints.Select(f => f.GetProperty("algorithm").GetString()));
        foreach (var (fingerprint, (_, bytes)) in fingerprints.Zip(Fingerprints))
        {
            Assert.Matches($"^[0-9A-F]{{2}}(:[0-9A-F]{{2}}){{{bytes - 1}}}$", fingerprint.GetProperty("value").GetString());
        }

        // One certificate per worker: every transport shows the same fingerprints.
        var other = await router.CreateWebRtcTransportAsync(BobRecv, new WebRtcTransportOptions());
        Assert.Equal(info.DtlsParameters.GetProperty("fingerprints").GetRawText(), other.DtlsParameters.GetProperty("fingerprints").GetRawText());
        Assert.NotEqual(
            info.IceParameters.GetProperty("usernameFragment").GetString(),
            other.IceParameters.GetProperty("usernameFragment").GetString());
    }

    [Theory]
    [InlineData(true, false, false, false, false, "udp:1078862079")]
    [InlineData(false, true, false, false, true, "tcp:1080142079")]
    [InlineData(true, true, true, true, false, "udp:1082702079 tcp:1081422079")]
    [InlineData(true, true, false, false, true, "udp:1078862079 tcp:1080142079")]
    public async Task Candidates_follow_the_enabled_protocols_and_preferences(
        bool udp, bool tcp, bool preferIPv4, bool preferUdp, bool preferTcp, string expected)
    {
        var (router, _) = await NewRouterAsync();
        var info = await router.CreateWebRtcTransportAsync(
            1, new WebRtcTransportOptions(udp, tcp, PreferIPv4: preferIPv4, PreferUdp: preferUdp, PreferTcp: preferTcp));

        var actual = string.Join(' ', info.IceCandidates.EnumerateArray().Select(c => $"{c.GetProperty("protocol").GetString()}:{c.GetProperty("priority").GetInt64()}"));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task A_transport_without_udp_and_tcp_fails_and_leaves_its_id_free()
    {
        var (router, events) = await NewRouterAsync();
        await AssertRejected("could not open any IP:port", () => router.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions(Udp: false, Tcp: false)));

        // The worker's spurious close for the failed id is not a TransportClosed.
        Assert.Empty(events.Events);
        await AssertRejected("Transport not found", () => router.GetTransportStatsAsync(AliceSend));
        await router.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());
        await router.GetTransportStatsAsync(AliceSend);
        Assert.Empty(events.Events);
    }

    [Fact]
    public async Task Transport_ids_are_unique_per_router_but_two_routers_on_one_worker_may_share_them()
    {
        var (first, _) = await NewRouterAsync();
        var (second, secondEvents) = await NewRouterAsync();
        Assert.Equal(first.WorkerId, second.WorkerId);

        await first.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());
        await AssertRejected("a Transport with same transportId already exists", () => first.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions()));
        await AssertRejected(
            "a Transport with same transportId already exists",
            () => first.CreatePlainRtpTransportAsync(AliceSend, new PlainRtpTransportOptions(null, null, false, false)));

        await second.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());
        Assert.Equal("client", await second.SetRemoteDtlsParametersAsync(AliceSend, CapturedMedia.SendTransportDtls));
        Assert.Equal("client", await first.SetRemoteDtlsParametersAsync(AliceSend, CapturedMedia.SendTransportDtls));

        await first.CloseTransportAsync(AliceSend);
        await AssertRejected("Transport not found", () => first.GetTransportStatsAsync(AliceSend));
        Assert.Equal(AliceSend, (await second.GetTransportStatsAsync(AliceSend))[0].GetProperty("id").GetUInt32());
        Assert.Empty(secondEvents.Events);
    }

    [Fact]
    public async Task Remote_dtls_role_client_gives_server_and_server_or_auto_gives_client()
    {
        var (router, _) = await NewRouterAsync();
        for (uint id = 1; id <= 4; id++)
        {
            await router.CreateWebRtcTransportAsync(id, new WebRtcTransportOptions());
        }

        const string fingerprints = """[{"algorithm":"sha-256","value":"3E:02:F8:F1:35:88:31:31:EE:88:99:BE:9A:FB:55:04:F2:FE:8E:E0:A1:8F:33:DB:F8:E6:34:43:2F:54:55:C4"}]""";
        Assert.Equal("client", await router.SetRemoteDtlsParametersAsync(1, CapturedMedia.SendTransportDtls));
        Assert.Equal("server", await router.SetRemoteDtlsParametersAsync(2, CapturedMedia.RecvTransportDtls));
        Assert.Equal("client", await router.SetRemoteDtlsParametersAsync(3, Json($$"""{"fingerprints":{{fingerprints}}}""")));
        Assert.Equal("client", await router.SetRemoteDtlsParametersAsync(4, Json($$"""{"role":"auto","fingerprints":{{fingerprints}}}""")));
    }

    [Fact]
    public async Task Remote_dtls_errors_come_in_the_reference_order()
    {
        var (router, _) = await NewRouterAsync();
        await router.CreateWebRtcTransportAsync(AliceSend, new WebRtcTransportOptions());
        Task<string> Set(string json) => router.SetRemoteDtlsParametersAsync(AliceSend, Json(json));

        await AssertRejected("missing data.fingerprints", () => Set("{}"));
        await AssertRejected("missing data.fingerprints", () => Set("""{"fingerprints":{}}"""));
        await AssertRejected("wrong fingerprint", () => Set("""{"fingerprints":[7]}"""));
        await AssertRejected("missing data.fingerprint.algorithm and/or data.fingerprint.value", () => Set("""{"fingerprints":[{"algorithm":"sha-256"}]}"""));
        await AssertRejected("unsupported remote fingerprint algorithm", () => Set("""{"role":"foo","fingerprints":[{"algorithm":"md5","value":"AA"}]}"""));
        await AssertRejected("unsupported remote fingerprint algorithm", () => Set("""{"fingerprints":[{"algorithm":"SHA-256","value":"AA"}]}"""));
        await AssertRejected("invalid remote role", () => Set("""{"role":"foo","fingerprints":[{"algorithm":"sha-256","value":"AA"}]}"""));
        await AssertRejected("invalid remote role", () => Set("""{"role":"CLIENT","fingerprints":[{"algorithm":"sha-256","value":"AA"}]}"""));

        // Rejected attempts do not count; the last known algorithm is used.
        Assert.Equal("client", await Set("""{"role":"server","fingerprints":[{"algorithm":"sha-1","value":"AA"},{"algorithm":"md5","value":"BB"}]}"""));

        await AssertRejected("Transport already has remote DTLS parameters", () => router.SetRemoteDtlsParametersAsync(AliceSend, CapturedMedia.SendTransportDtls));
        await AssertRejected("Transport already has remote DTLS parameters", () => Set("""{"role":"foo","fingerprints":[{"algorithm":"md5","value":"AA"}]}"""));
        await AssertRejected("wrong fingerprint", () => Set("""{"fingerprints":[{"algorithm":"sha-256","value":"AA"},5]}"""));
        await AssertRejected("Transport not found", () => router.SetRemoteDtlsParametersAsync(BobRecv, CapturedMedia.RecvTransportDtls));
    }

    [Fact]
    public async Task Ice_restart_returns_fresh_credentials_each_time()
    {
        var (router, _) = await NewRouterAsync();
        var info = await router.CreateWebRtcTransportAsync(BobRecv, new WebRtcTransportOptions());

        var first = await router.RestartIceAsync(BobRecv);
        var second = await router.RestartIceAsync(BobRecv);
        AssertIceCredentials(first);
        AssertIceCredentials(second);
        string Credentials(JsonElement ice) => $"{ice.GetProperty("usernameFragment").GetString()}/{ice.GetProperty("password").GetString()}";
        Assert.Equal(3, new[] { Credentials(info.IceParameters), Credentials(first), Credentials(second) }.Distinct().Count());
        Assert.NotEqual(info.IceParameters.GetProperty("usernameFragment").GetString(), first.GetProperty("usernameFragment").GetString());
        Assert.NotEqual(info.IceParameters.GetProperty("password").GetString(), first.GetProperty("password").GetString());
        await AssertRejected("Transport not found", () => router.RestartIceAsync(AliceSend));
    }

    [Fact]
    public async Task WebRtc_transport_stats_are_one_transport_entry_named_by_the_protocol_id()
    {
        var (router, _) = await NewRouterAsync();
        await router.CreateWebRtcTransportAsync(BobRecv, new WebRtcTransportOptions());

        var stats = await router.GetTransportStatsAsync(BobRecv);
        var entry = Assert.Single(stats.EnumerateArray());
        Assert.Equal("transport", entry.GetProperty("type").GetString());
        Assert.Equal(BobRecv, entry.GetProperty("id").GetUInt32());
        Assert.Equal("new", entry.GetProperty("dtlsState").GetString());
        Assert.Equal("new", entry.GetProperty("iceConnectionState").GetString());
        Assert.True(entry.GetProperty("timestamp").GetInt64() >= 0);
        Assert.Equal(JsonValueKind.Object, entry.GetProperty("localAvailableSendBw").ValueKind);
        Assert.Equal(JsonValueKind.Object, entry.GetProperty("remoteAvailableSendBw").ValueKind);
        Assert.False(entry.TryGetProperty("iceSelectedTuple", out _));
        await AssertRejected("Transport not found", () => router.GetTransportStatsAsync(AliceSend));
    }

    private static void AssertIceCredentials(JsonElement ice)
    {
        // Browsers need ufrag ≥ 4 and pwd ≥ 22 characters; the reference gives 16 and 32 of [0-9a-z].
        Assert.Matches(new Regex("^[0-9a-z]{16}$"), ice.GetProperty("usernameFragment").GetString());
        Assert.Matches(new Regex("^[0-9a-z]{32}$"), ice.GetProperty("password").GetString());
    }
}
