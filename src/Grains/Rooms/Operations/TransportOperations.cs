using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.Grains.Rooms.Model;
using Coordinator.Protocol;
using Coordinator.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Rooms.Operations;

/// <summary><c>createTransport</c>, <c>updateTransport</c>, <c>restartTransport</c>, <c>closeTransport</c> (docs/protocol.md#createtransport).</summary>
internal static class TransportOperations
{
    public static async Task<JsonElement> CreateAsync(RoomOperation op, RoomMember member, JsonElement request)
    {
        var id = ProtocolIds.ClientChosen(JsJson.Property(request, "id"), "transportId", op.Room.Transports.ContainsKey);
        var direction = JsJson.Property(request, "direction");
        var appData = JsJson.Property(request, "appData");
        LimitChecks.Count(member.Transports.Count, op.Limits.MaxTransportsPerPeer, "transports for this peer");
        LimitChecks.AppData(appData, op.Limits);
        var options = JsJson.Property(request, "options");

        if (JsJson.Property(request, "plainRtpParameters") is { } plain && JsJson.Truthy(plain))
        {
            return await CreatePlainAsync(op, member, id, options, plain, direction, appData);
        }

        var info = await op.Media(router => router.CreateWebRtcTransportAsync(id, WebRtcOptions(options)));
        var transport = new RoomTransport(id, TransportKind.WebRtc, member, direction, appData) { IceParameters = info.IceParameters };
        Register(op, transport);

        string? negotiatedRole = null;
        if (JsJson.Property(request, "dtlsParameters") is { } remoteDtls && JsJson.Truthy(remoteDtls))
        {
            try
            {
                negotiatedRole = await op.Media(router => router.SetRemoteDtlsParametersAsync(id, remoteDtls));
            }
            catch (MediasoupError)
            {
                // Closed silently (no transportClosed); the id can be used again.
                await RoomCascades.CloseTransportAsync(op, transport, notifyOwner: false, appData: null);
                throw;
            }
        }

        return Responses.WebRtcTransport(info.IceParameters, info.IceCandidates, info.DtlsParameters, negotiatedRole);
    }

    public static async Task<JsonElement> RestartAsync(RoomOperation op, RoomMember member, JsonElement request)
    {
        var transport = Find(member, request) ?? throw MediasoupError.Error("Transport not found");
        if (transport.Kind == TransportKind.PlainRtp)
        {
            throw MediasoupError.Type("transport.changeUfragPwd is not a function");
        }

        var credentials = await op.Media(router => router.RestartIceAsync(transport.Id));
        transport.IceParameters = WithNewCredentials(transport.IceParameters!.Value, credentials);
        return Responses.RestartTransport(transport.IceParameters.Value);
    }

    /// <summary><c>updateTransport</c>: remote DTLS (or plain RTP) parameters; a failure closes the transport with <c>transportClosed</c>.</summary>
    public static async Task UpdateAsync(RoomOperation op, RoomMember member, JsonElement notification)
    {
        var transport = Find(member, notification) ?? throw MediasoupError.Error("Transport not found");
        if (JsJson.Property(notification, "dtlsParameters") is { } dtls && JsJson.Truthy(dtls))
        {
            if (transport.Kind == TransportKind.PlainRtp)
            {
                throw MediasoupError.Type("transport.setRemoteDtlsParameters is not a function");
            }

            await CloseOnFailure(op, transport, () => op.Media(router => router.SetRemoteDtlsParametersAsync(transport.Id, dtls)));
        }
        else if (JsJson.Property(notification, "plainRtpParameters") is { } plain && JsJson.Truthy(plain))
        {
            if (transport.Kind == TransportKind.WebRtc)
            {
                throw MediasoupError.Type("transport.setRemoteParameters is not a function");
            }

            await CloseOnFailure(op, transport, async () =>
            {
                var (ip, port) = PlainAddress(plain);
                await op.Media(router => router.SetRemotePlainParametersAsync(transport.Id, ip, port));
            });
        }
    }

    /// <summary><c>closeTransport</c>: a remote close, so nothing is sent back to its owner.</summary>
    public static Task CloseAsync(RoomOperation op, RoomMember member, JsonElement notification)
    {
        var transport = Find(member, notification) ?? throw MediasoupError.Error("Transport not found");
        return RoomCascades.CloseTransportAsync(op, transport, notifyOwner: false, appData: null);
    }

    public static RoomTransport? Find(RoomMember member, JsonElement message, string property = "id") =>
        ProtocolIds.TryRead(JsJson.Property(message, property), out var id) && member.Transports.TryGetValue(id, out var transport)
            ? transport
            : null;

    private static async Task<JsonElement> CreatePlainAsync(
        RoomOperation op, RoomMember member, uint id, JsonElement? options, JsonElement plain, JsonElement? direction, JsonElement? appData)
    {
        // The reference reads options.preferIPv4 / preferIPv6: options must at least not be nullish.
        if (options is null or { ValueKind: JsonValueKind.Null })
        {
            throw MediasoupError.Type($"Cannot read properties of {(options is null ? "undefined" : "null")} (reading 'preferIPv4')");
        }

        var (ip, port) = PlainAddress(plain);
        var info = await op.Media(router => router.CreatePlainRtpTransportAsync(id, new PlainRtpTransportOptions(
            ip, port, JsJson.Truthy(JsJson.Property(options.Value, "preferIPv4")), JsJson.Truthy(JsJson.Property(options.Value, "preferIPv6")))));
        Register(op, new RoomTransport(id, TransportKind.PlainRtp, member, direction, appData));
        return Responses.PlainRtpTransport(info.LocalIp, info.LocalPort);
    }

    /// <summary>The ICE parameters after a restart: the new <c>usernameFragment</c> and <c>password</c> first, as the reference writes them.</summary>
    private static JsonElement WithNewCredentials(JsonElement iceParameters, JsonElement credentials) => JsonBuilder.Object(writer =>
    {
        writer.WriteString("usernameFragment", credentials.GetProperty("usernameFragment").GetString());
        writer.WriteString("password", credentials.GetProperty("password").GetString());
        JsonFields.WriteProperties(writer, iceParameters, (name, _) => name is "usernameFragment" or "password");
    });

    private static (string Ip, int Port) PlainAddress(JsonElement plain) =>
        JsJson.StringProperty(plain, "ip") is { } ip
        && JsJson.Property(plain, "port") is { ValueKind: JsonValueKind.Number } port && port.TryGetInt32(out var portNumber)
        && portNumber is >= 0 and <= 65535
            ? (ip, portNumber)
            : throw MediasoupError.Type("plainRtpParameters needs a string ip and an integer port");

    private static async Task CloseOnFailure(RoomOperation op, RoomTransport transport, Func<Task> update)
    {
        try
        {
            await update();
        }
        catch (MediasoupError error)
        {
            op.Logger.LogWarning("updateTransport failed, closing transport {Transport}: {Reason}", transport.Id, error.Reason);
            await RoomCascades.CloseTransportAsync(op, transport, notifyOwner: true, appData: null);
        }
    }

    private static void Register(RoomOperation op, RoomTransport transport)
    {
        transport.Owner.Transports[transport.Id] = transport;
        op.Room.Transports[transport.Id] = transport;
    }

    /// <summary>The client's transport options; values that are not booleans are ignored.</summary>
    private static WebRtcTransportOptions WebRtcOptions(JsonElement? options)
    {
        bool? Flag(string name) => options is { ValueKind: JsonValueKind.Object } obj && JsJson.Property(obj, name) is { } value
            && value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? value.GetBoolean()
                : null;

        return new WebRtcTransportOptions(
            Udp: Flag("udp") ?? true,
            Tcp: Flag("tcp") ?? true,
            PreferIPv4: Flag("preferIPv4") ?? false,
            PreferIPv6: Flag("preferIPv6") ?? false,
            PreferUdp: Flag("preferUdp") ?? false,
            PreferTcp: Flag("preferTcp") ?? false);
    }
}
