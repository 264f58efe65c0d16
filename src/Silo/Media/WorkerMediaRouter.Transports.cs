using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Media;
using Coordinator.Protocol;
using Coordinator.Silo.Workers;

namespace Coordinator.Silo.Media;

/// <summary>WebRTC and plain RTP transports.</summary>
public sealed partial class WorkerMediaRouter
{
    public async Task<WebRtcTransportInfo> CreateWebRtcTransportAsync(
        uint transportId, WebRtcTransportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var data = new JsonObject
        {
            ["udp"] = options.Udp,
            ["tcp"] = options.Tcp,
            ["preferIPv4"] = options.PreferIPv4,
            ["preferIPv6"] = options.PreferIPv6,
            ["preferUdp"] = options.PreferUdp,
            ["preferTcp"] = options.PreferTcp,
        };
        var transport = ReserveTransport(transportId, TransportKind.WebRtc);
        var reply = await CreateTransportAsync(transport, "router.createWebRtcTransport", data, cancellationToken).ConfigureAwait(false);
        return new WebRtcTransportInfo(
            reply.GetProperty("iceLocalParameters"),
            reply.GetProperty("iceLocalCandidates"),
            reply.GetProperty("dtlsLocalParameters"));
    }

    public async Task<PlainRtpTransportInfo> CreatePlainRtpTransportAsync(
        uint transportId, PlainRtpTransportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The worker does not default these: omitting them reads uninitialised memory (§4.2).
        var data = new JsonObject
        {
            ["preferIPv4"] = options.PreferIPv4,
            ["preferIPv6"] = options.PreferIPv6,
        };
        if (options.RemoteIp is not null)
        {
            if (options.RemotePort is not { } remotePort)
            {
                throw new MediaPlaneException(MediaObjectTexts.MissingRemotePort);
            }

            data["remoteIP"] = options.RemoteIp;
            data["remotePort"] = remotePort;
        }

        var transport = ReserveTransport(transportId, TransportKind.PlainRtp);
        var reply = await CreateTransportAsync(transport, "router.createPlainRtpTransport", data, cancellationToken).ConfigureAwait(false);
        return new PlainRtpTransportInfo(reply.GetProperty("localIP").GetString()!, reply.GetProperty("localPort").GetInt32());
    }

    public async Task<string> SetRemoteDtlsParametersAsync(uint transportId, JsonElement dtlsParameters, CancellationToken cancellationToken = default)
    {
        var transport = TransportOfKind(transportId, TransportKind.WebRtc, "transport.setRemoteDtlsParameters");

        // A non-object would be replaced by {} in the worker anyway; say so explicitly.
        var data = dtlsParameters.ValueKind == JsonValueKind.Object ? (object)dtlsParameters : new JsonObject();
        var reply = await RequestAsync("transport.setRemoteDtlsParameters", TransportTarget(transport), data, cancellationToken).ConfigureAwait(false);
        return reply.GetProperty("role").GetString()!;
    }

    public Task SetRemotePlainParametersAsync(uint transportId, string ip, int port, CancellationToken cancellationToken = default)
    {
        var transport = TransportOfKind(transportId, TransportKind.PlainRtp, "transport.setRemoteParameters");
        var data = new JsonObject { ["ip"] = ip, ["port"] = port };
        return RequestAsync("transport.setRemoteParameters", TransportTarget(transport), data, cancellationToken);
    }

    public Task<JsonElement> RestartIceAsync(uint transportId, CancellationToken cancellationToken = default)
    {
        var transport = TransportOfKind(transportId, TransportKind.WebRtc, "transport.changeUfragPwd");
        return RequestAsync("transport.changeUfragPwd", TransportTarget(transport), null, cancellationToken);
    }

    public Task CloseTransportAsync(uint transportId, CancellationToken cancellationToken = default)
    {
        TransportRecord transport;
        lock (_gate)
        {
            transport = LiveTransportLocked(transportId);
        }

        return CloseOwnAsync(transport, "transport.close", TransportTarget(transport), IsCurrent, ForgetTransportLocked, cancellationToken);
    }

    public async Task<JsonElement> GetTransportStatsAsync(uint transportId, CancellationToken cancellationToken = default)
    {
        TransportRecord transport;
        lock (_gate)
        {
            transport = LiveTransportLocked(transportId);
        }

        var stats = await RequestAsync("transport.getStats", TransportTarget(transport), null, cancellationToken).ConfigureAwait(false);
        return WithProtocolIds(stats);
    }

    /// <summary>Checks the id is free in this router and reserves it with a fresh worker id and event subscription.</summary>
    private TransportRecord ReserveTransport(uint transportId, TransportKind kind)
    {
        lock (_gate)
        {
            ThrowIfClosedLocked();
            if (_transports.ContainsKey(transportId))
            {
                throw new MediaPlaneException(MediaObjectTexts.DuplicateTransport);
            }

            var transport = new TransportRecord(transportId, _worker.ObjectIds.Next(), kind);
            transport.Subscription = _worker.Channel.Subscribe(transport.WorkerId, e => OnTransportEvent(transport, e));
            _transports.Add(transportId, transport);
            return transport;
        }
    }

    private async Task<JsonElement> CreateTransportAsync(
        TransportRecord transport, string method, JsonObject data, CancellationToken cancellationToken)
    {
        JsonElement reply;
        try
        {
            reply = await RequestAsync(method, TransportTarget(transport), data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                if (IsCurrent(transport))
                {
                    _transports.Remove(transport.Id);
                }

                transport.Subscription?.Dispose();

                // Rejected: the worker holds nothing under that id (a failed creation even says
                // so with its spurious close). Otherwise it might, so the id stays taken.
                if (IsRejection(e))
                {
                    _worker.ObjectIds.Release(transport.WorkerId);
                }
            }

            throw;
        }

        lock (_gate)
        {
            ThrowIfClosedLocked();
            transport.Live = true;
            _transportIdsByWorkerId[transport.WorkerId] = transport.Id;
        }

        return reply;
    }

    private TransportRecord LiveTransportLocked(uint transportId)
    {
        ThrowIfClosedLocked();
        return _transports.TryGetValue(transportId, out var transport) && transport.Live
            ? transport
            : throw new MediaPlaneException(MediaObjectTexts.TransportNotFound);
    }

    /// <summary>A transport for a kind-specific method; the other kind is refused here, never sent (it would crash the worker).</summary>
    private TransportRecord TransportOfKind(uint transportId, TransportKind kind, string method)
    {
        lock (_gate)
        {
            var transport = LiveTransportLocked(transportId);
            if (transport.Kind != kind)
            {
                var actual = transport.Kind == TransportKind.PlainRtp ? "a plain RTP transport" : "a WebRTC transport";
                throw new MediaPlaneException(MediaObjectTexts.NotSupportedBy(method, actual));
            }

            return transport;
        }
    }

    private WorkerInternal TransportTarget(TransportRecord transport) => new(RouterId: RouterObjectId, TransportId: transport.WorkerId);

    /// <summary>
    /// Stats name transports by the worker's ids; give the protocol's instead (the client sees them
    /// in <c>transportStats</c>/<c>producerStats</c>/<c>consumerStats</c>, as the reference sends them).
    /// </summary>
    private JsonElement WithProtocolIds(JsonElement stats)
    {
        lock (_gate)
        {
            return StatsIds.WithProtocolTransportIds(stats, _transportIdsByWorkerId);
        }
    }
}
