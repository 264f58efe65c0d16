using System.Text.Json;

namespace Coordinator.Protocol.Messages;

/// <summary>A peer of the join response: its name, appData and the joiner's consumers of its producers.</summary>
public readonly record struct JoinedPeer(string Name, JsonElement? AppData, IReadOnlyList<ConsumerDescription> Consumers);

/// <summary>The data of successful responses, in the reference's shape and key order (docs/protocol.md#client-messages).</summary>
public static class Responses
{
    /// <summary><c>queryRoom</c>: <c>{rtpCapabilities, mandatoryCodecPayloadTypes: []}</c>.</summary>
    public static JsonElement QueryRoom(JsonElement rtpCapabilities) => JsonBuilder.Object(writer =>
    {
        writer.WritePropertyName("rtpCapabilities");
        rtpCapabilities.WriteTo(writer);
        writer.WriteStartArray("mandatoryCodecPayloadTypes");
        writer.WriteEndArray();
    });

    /// <summary><c>join</c>: <c>{peers:[{consumers, name, appData}]}</c>, the other non-spy peers in join order.</summary>
    public static JsonElement Join(IEnumerable<JoinedPeer> peers) => JsonBuilder.Object(writer =>
    {
        writer.WriteStartArray("peers");
        foreach (var peer in peers)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("consumers");
            foreach (var consumer in peer.Consumers)
            {
                consumer.WriteObject(writer);
            }

            writer.WriteEndArray();
            writer.WriteString("name", peer.Name);
            JsonFields.WriteOptional(writer, "appData", peer.AppData);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    /// <summary>
    /// <c>createTransport</c> of a WebRTC transport: the worker's ICE and DTLS parameters, with the
    /// local DTLS role replaced when the request already carried the remote DTLS parameters.
    /// </summary>
    public static JsonElement WebRtcTransport(JsonElement iceParameters, JsonElement iceCandidates, JsonElement dtlsParameters, string? negotiatedRole) =>
        JsonBuilder.Object(writer =>
        {
            writer.WritePropertyName("iceParameters");
            iceParameters.WriteTo(writer);
            writer.WritePropertyName("iceCandidates");
            iceCandidates.WriteTo(writer);
            writer.WriteStartObject("dtlsParameters");
            var roleWritten = false;
            JsonFields.WriteProperties(writer, dtlsParameters, (name, w) =>
            {
                if (name != "role" || negotiatedRole is null)
                {
                    return false;
                }

                w.WriteString("role", negotiatedRole);
                roleWritten = true;
                return true;
            });
            if (negotiatedRole is not null && !roleWritten)
            {
                writer.WriteString("role", negotiatedRole);
            }

            writer.WriteEndObject();
        });

    /// <summary><c>createTransport</c> of a plain RTP transport: <c>{plainRtpParameters:{ip, port}}</c>.</summary>
    public static JsonElement PlainRtpTransport(string localIp, int localPort) => JsonBuilder.Object(writer =>
    {
        writer.WriteStartObject("plainRtpParameters");
        writer.WriteString("ip", localIp);
        writer.WriteNumber("port", localPort);
        writer.WriteEndObject();
    });

    /// <summary><c>restartTransport</c>: <c>{iceParameters}</c>.</summary>
    public static JsonElement RestartTransport(JsonElement iceParameters) => JsonBuilder.Object(writer =>
    {
        writer.WritePropertyName("iceParameters");
        iceParameters.WriteTo(writer);
    });

    /// <summary><c>enableConsumer</c>: <c>{paused, preferredProfile, effectiveProfile}</c>.</summary>
    public static JsonElement EnableConsumer(in ConsumerDescription consumer)
    {
        var copy = consumer;
        return JsonBuilder.Object(writer =>
        {
            writer.WriteBoolean("paused", copy.PausedWhenEnabled);
            copy.WriteProfiles(writer);
        });
    }
}
