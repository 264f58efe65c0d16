using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordinator.Silo.Media;

// The `data` of the router's requests (docs/worker-channel.md#requests-per-action). The channel's
// serializer writes them straight into the request frame: camelCase names, null properties left
// out. A value the caller did not give is null, so it is left out and the worker answers with its
// own `missing data.…` text. (router.createWebRtcTransport sends WebRtcTransportOptions as they are.)
//
// The JSON rule (docs/architecture.md): JsonElement is the only JSON type that crosses a boundary
// (grain calls, IMediaRouter, the worker channel); JsonNode lives only inside ORTC. So the client's
// JSON the Room hands over (RTP parameters, mapping) is written into the frame as it came, never
// rebuilt as nodes or as text.

/// <summary>
/// <c>router.createPlainRtpTransport</c>. Both <c>prefer*</c> flags always: the worker does not
/// default them, omitting them reads uninitialised memory; <c>remotePort</c> only with <c>remoteIP</c>.
/// </summary>
internal sealed record PlainRtpTransportData(bool PreferIPv4, bool PreferIPv6, [property: JsonPropertyName("remoteIP")] string? RemoteIp, int? RemotePort);

/// <summary><c>transport.setRemoteParameters</c> of a plain RTP transport.</summary>
internal sealed record RemoteParametersData(string Ip, int Port);

/// <summary><c>router.createProducer</c>.</summary>
internal sealed record CreateProducerData(string? Kind, JsonElement? RtpParameters, JsonElement? RtpMapping, bool Paused);

/// <summary><c>router.createConsumer</c>.</summary>
internal sealed record KindData(string? Kind);

/// <summary><c>consumer.enable</c>.</summary>
internal sealed record RtpParametersData(JsonElement? RtpParameters);

/// <summary><c>producer.setPreferredProfile</c>, <c>consumer.setPreferredProfile</c>.</summary>
internal sealed record ProfileData(string? Profile);

/// <summary><c>router.setAudioLevelsEvent</c>.</summary>
internal sealed record EnabledData(bool Enabled);
