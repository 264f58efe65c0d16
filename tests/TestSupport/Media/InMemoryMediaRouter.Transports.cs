using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Media;

namespace Coordinator.TestSupport.Media;

/// <summary>Transports: made-up ports on the plane's IPv4 address (no socket is opened), reference ICE/DTLS shapes.</summary>
public sealed partial class InMemoryMediaRouter
{
    public Task<WebRtcTransportInfo> CreateWebRtcTransportAsync(
        uint transportId, WebRtcTransportOptions options, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                CheckNewTransportId(transportId);
                if (!options.Udp && !options.Tcp)
                {
                    throw new MediaPlaneException("could not open any IP:port");
                }

                var candidates = InMemoryWebRtcParameters.Candidates(_localIp, options, _nextPort);
                var transport = new InMemoryTransport(transportId, isPlain: false) { Candidates = candidates };
                _transports.Add(transportId, transport);
                return new WebRtcTransportInfo(
                    Element(IceParameters(transport)),
                    Element(candidates),
                    Element(new JsonObject { ["fingerprints"] = _fingerprints.DeepClone(), ["role"] = "auto" }));
            },
            cancellationToken);

    public Task<PlainRtpTransportInfo> CreatePlainRtpTransportAsync(
        uint transportId, PlainRtpTransportOptions options, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                CheckNewTransportId(transportId);
                if (options.RemoteIp is { } remoteIp)
                {
                    if (options.RemotePort is null)
                    {
                        throw new MediaPlaneException("missing remotePort");
                    }

                    // The socket family follows the remote IP; this double has IPv4 only.
                    if (!IPAddress.TryParse(remoteIp, out var address))
                    {
                        throw new MediaPlaneException($"invalid destination IP '{remoteIp}'");
                    }

                    if (address.AddressFamily == AddressFamily.InterNetworkV6)
                    {
                        throw new MediaPlaneException("IPv6 family not available for RTC");
                    }
                }
                else if (options.PreferIPv6 && !options.PreferIPv4)
                {
                    throw new MediaPlaneException("IPv6 disabled");
                }

                var transport = new InMemoryTransport(transportId, isPlain: true) { LocalPort = _nextPort() };
                if (options.RemoteIp is not null)
                {
                    transport.Remote = (options.RemoteIp, options.RemotePort!.Value);
                }

                _transports.Add(transportId, transport);
                return new PlainRtpTransportInfo(_localIp, transport.LocalPort);
            },
            cancellationToken);

    public Task<string> SetRemoteDtlsParametersAsync(uint transportId, JsonElement dtlsParameters, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                var transport = TransportOfKind(transportId, plain: false, "transport.setRemoteDtlsParameters");
                var role = InMemoryRemoteDtls.LocalRoleFor(dtlsParameters, transport.HasRemoteDtls);
                transport.HasRemoteDtls = true;
                transport.DtlsRole = role;
                return role;
            },
            cancellationToken);

    public Task SetRemotePlainParametersAsync(uint transportId, string ip, int port, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                var transport = TransportOfKind(transportId, plain: true, "transport.setRemoteParameters");
                if (ip is null)
                {
                    throw new MediaPlaneException("missing data.ip");
                }

                if (port < 0)
                {
                    throw new MediaPlaneException("missing data.port");
                }

                if (!IPAddress.TryParse(ip, out var address))
                {
                    throw new MediaPlaneException($"invalid destination IP '{ip}'");
                }

                if (address.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    throw new MediaPlaneException("IPv6 disabled");
                }

                transport.Remote = (ip, port);
            },
            cancellationToken);

    public Task<JsonElement> RestartIceAsync(uint transportId, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                var transport = TransportOfKind(transportId, plain: false, "transport.changeUfragPwd");
                transport.UsernameFragment = InMemoryWebRtcParameters.NewUsernameFragment();
                transport.Password = InMemoryWebRtcParameters.NewPassword();
                return Element(new JsonObject { ["password"] = transport.Password, ["usernameFragment"] = transport.UsernameFragment });
            },
            cancellationToken);

    public Task CloseTransportAsync(uint transportId, CancellationToken cancellationToken = default) =>
        Call(() => ForgetTransportLocked(LiveTransport(transportId)), cancellationToken);

    public Task<JsonElement> GetTransportStatsAsync(uint transportId, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                var transport = LiveTransport(transportId);
                if (transport.IsPlain)
                {
                    return Element(new JsonObject());
                }

                return Element(new JsonArray(new JsonObject
                {
                    ["type"] = "transport",
                    ["id"] = transport.Id,
                    ["timestamp"] = Environment.TickCount64,
                    ["dtlsState"] = transport.DtlsState,
                    ["iceConnectionState"] = transport.IceState,
                    ["localAvailableSendBw"] = new JsonObject { ["bitrate"] = 0, ["maxBitrate"] = 0, ["ssrcs"] = new JsonArray() },
                    ["remoteAvailableSendBw"] = new JsonObject { ["bitrate"] = 0, ["ssrcs"] = new JsonArray() },
                }));
            },
            cancellationToken);

    /// <summary>
    /// The worker's cascade (docs/worker-channel.md#events): each producer on it goes silently after its consumers
    /// are reported closed; consumers sending on it are disabled silently.
    /// </summary>
    private void ForgetTransportLocked(InMemoryTransport transport)
    {
        _transports.Remove(transport.Id);
        foreach (var producerId in transport.Producers.ToArray())
        {
            ForgetProducerLocked(_producers[producerId]);
        }

        foreach (var consumerId in transport.EnabledConsumers)
        {
            _consumers[consumerId].EnabledOn = null;
        }

        transport.EnabledConsumers.Clear();
    }

    private void CheckNewTransportId(uint transportId)
    {
        if (_transports.ContainsKey(transportId))
        {
            throw new MediaPlaneException("a Transport with same transportId already exists");
        }
    }

    private InMemoryTransport LiveTransport(uint transportId) =>
        _transports.TryGetValue(transportId, out var transport) ? transport : throw new MediaPlaneException("Transport not found");

    /// <summary>Same texts as the real router, which refuses these locally (they crash the worker).</summary>
    private InMemoryTransport TransportOfKind(uint transportId, bool plain, string method)
    {
        var transport = LiveTransport(transportId);
        if (transport.IsPlain != plain)
        {
            throw new MediaPlaneException($"{method} is not supported by {(transport.IsPlain ? "a plain RTP transport" : "a WebRTC transport")}");
        }

        return transport;
    }

    private static JsonObject IceParameters(InMemoryTransport transport) => new()
    {
        ["iceLite"] = true,
        ["password"] = transport.Password,
        ["usernameFragment"] = transport.UsernameFragment,
    };

    private static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node);
}
