using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.Protocol;

namespace Coordinator.Silo.Media;

/// <summary>WebRTC and plain RTP transports.</summary>
public sealed partial class WorkerMediaRouter
{
    private static readonly JsonElement EmptyObject = JsonElement.Parse("{}");

    public async Task<WebRtcTransportInfo> CreateWebRtcTransportAsync(
        uint transportId, WebRtcTransportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The options are the worker's data as they are: udp, tcp, preferIPv4, preferIPv6, preferUdp, preferTcp.
        var reply = await CreateTransportAsync(transportId, TransportKind.WebRtc, "router.createWebRtcTransport", options, cancellationToken)
            .ConfigureAwait(false);
        return new WebRtcTransportInfo(
            reply.GetProperty("iceLocalParameters"),
            reply.GetProperty("iceLocalCandidates"),
            reply.GetProperty("dtlsLocalParameters"));
    }

    public async Task<PlainRtpTransportInfo> CreatePlainRtpTransportAsync(
        uint transportId, PlainRtpTransportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options is { RemoteIp: not null, RemotePort: null })
        {
            throw new MediaPlaneException(MediaObjectTexts.MissingRemotePort);
        }

        var data = new PlainRtpTransportData(
            options.PreferIPv4, options.PreferIPv6, options.RemoteIp, options.RemoteIp is null ? null : options.RemotePort);
        var reply = await CreateTransportAsync(transportId, TransportKind.PlainRtp, "router.createPlainRtpTransport", data, cancellationToken)
            .ConfigureAwait(false);
        return new PlainRtpTransportInfo(reply.GetProperty("localIP").GetString()!, reply.GetProperty("localPort").GetInt32());
    }

    public async Task<string> SetRemoteDtlsParametersAsync(uint transportId, JsonElement dtlsParameters, CancellationToken cancellationToken = default)
    {
        var transport = TransportOfKind(transportId, TransportKind.WebRtc, "transport.setRemoteDtlsParameters");

        // A non-object would be replaced by {} in the worker anyway; say so explicitly.
        var data = dtlsParameters.ValueKind == JsonValueKind.Object ? dtlsParameters : EmptyObject;
        var reply = await RequestAsync("transport.setRemoteDtlsParameters", transport, data, cancellationToken).ConfigureAwait(false);
        return reply.GetProperty("role").GetString()!;
    }

    public Task SetRemotePlainParametersAsync(uint transportId, string ip, int port, CancellationToken cancellationToken = default)
    {
        var transport = TransportOfKind(transportId, TransportKind.PlainRtp, "transport.setRemoteParameters");
        return RequestAsync("transport.setRemoteParameters", transport, new RemoteParametersData(ip, port), cancellationToken);
    }

    public Task<JsonElement> RestartIceAsync(uint transportId, CancellationToken cancellationToken = default)
    {
        var transport = TransportOfKind(transportId, TransportKind.WebRtc, "transport.changeUfragPwd");
        return RequestAsync("transport.changeUfragPwd", transport, null, cancellationToken);
    }

    public Task CloseTransportAsync(uint transportId, CancellationToken cancellationToken = default) =>
        CloseOwnAsync(Live(_transports, transportId), "transport.close", cancellationToken);

    public async Task<JsonElement> GetTransportStatsAsync(uint transportId, CancellationToken cancellationToken = default)
    {
        var stats = await RequestAsync("transport.getStats", Live(_transports, transportId), null, cancellationToken).ConfigureAwait(false);
        return WithProtocolIds(stats);
    }

    private Task<JsonElement> CreateTransportAsync(uint transportId, TransportKind kind, string method, object data, CancellationToken cancellationToken)
    {
        TransportRecord transport;
        lock (_gate)
        {
            ThrowIfClosedLocked();
            transport = _transports.Reserve(transportId, workerId => new TransportRecord(transportId, workerId, kind));
        }

        return CreateAsync(_transports, transport, method, transport.Target(RouterObjectId), data, cancellationToken);
    }

    /// <summary>A transport for a kind-specific method; the other kind is refused here, never sent (it would crash the worker).</summary>
    private TransportRecord TransportOfKind(uint transportId, TransportKind kind, string method)
    {
        var transport = Live(_transports, transportId);
        if (transport.Kind != kind)
        {
            var actual = transport.Kind == TransportKind.PlainRtp ? "a plain RTP transport" : "a WebRTC transport";
            throw new MediaPlaneException(MediaObjectTexts.NotSupportedBy(method, actual));
        }

        return transport;
    }
}
