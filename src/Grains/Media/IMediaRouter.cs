using System.Text.Json;

namespace Coordinator.Grains.Media;

/// <summary>
/// One mediasoup router (one Room's media). Ids are the protocol's ids: transport and producer ids
/// chosen by the client, consumer ids chosen by the Room. The router maps them to the worker's own
/// object ids and keeps the reference's per-room duplicate checks and texts, e.g.
/// <c>a Transport with same transportId already exists</c>. Failures throw
/// <see cref="MediaPlaneException"/> carrying the worker's reason verbatim; a lost worker throws
/// <see cref="MediaRouterClosedException"/>. Never asks for whole-router dumps (64 KiB reply limit).
/// </summary>
public interface IMediaRouter : IAsyncDisposable
{
    /// <summary>The worker this router lives on, for logs and placement reports.</summary>
    string WorkerId { get; }

    bool IsClosed { get; }

    Task<WebRtcTransportInfo> CreateWebRtcTransportAsync(uint transportId, WebRtcTransportOptions options, CancellationToken cancellationToken = default);

    Task<PlainRtpTransportInfo> CreatePlainRtpTransportAsync(uint transportId, PlainRtpTransportOptions options, CancellationToken cancellationToken = default);

    /// <summary>Applies the remote DTLS parameters (<c>{role?, fingerprints}</c>); returns the local role.</summary>
    Task<string> SetRemoteDtlsParametersAsync(uint transportId, JsonElement dtlsParameters, CancellationToken cancellationToken = default);

    /// <summary>Sets a plain RTP transport's remote address.</summary>
    Task SetRemotePlainParametersAsync(uint transportId, string ip, int port, CancellationToken cancellationToken = default);

    /// <summary>ICE restart: new local credentials, <c>{usernameFragment, password}</c>.</summary>
    Task<JsonElement> RestartIceAsync(uint transportId, CancellationToken cancellationToken = default);

    /// <summary>Closes a transport; the worker closes its producers (and their consumers) and disables consumers sending on it.</summary>
    Task CloseTransportAsync(uint transportId, CancellationToken cancellationToken = default);

    /// <summary>The worker's transport stats: an array for WebRTC transports, <c>{}</c> for plain ones.</summary>
    Task<JsonElement> GetTransportStatsAsync(uint transportId, CancellationToken cancellationToken = default);

    /// <summary>Creates a producer with the client's RTP parameters and the Room mapping (<c>{codecPayloadTypes, headerExtensionIds}</c>).</summary>
    Task CreateProducerAsync(uint producerId, uint transportId, string kind, JsonElement rtpParameters, JsonElement rtpMapping, bool paused, CancellationToken cancellationToken = default);

    Task PauseProducerAsync(uint producerId, CancellationToken cancellationToken = default);

    Task ResumeProducerAsync(uint producerId, CancellationToken cancellationToken = default);

    Task SetProducerPreferredProfileAsync(uint producerId, string profile, CancellationToken cancellationToken = default);

    Task CloseProducerAsync(uint producerId, CancellationToken cancellationToken = default);

    Task<JsonElement> GetProducerStatsAsync(uint producerId, CancellationToken cancellationToken = default);

    /// <summary>Creates a (disabled) consumer of a producer; it reports <c>sourcepaused</c> at once if the producer is paused.</summary>
    Task CreateConsumerAsync(uint consumerId, uint producerId, string kind, CancellationToken cancellationToken = default);

    /// <summary>Starts sending the consumer on a transport with its RTP parameters.</summary>
    Task EnableConsumerAsync(uint consumerId, uint transportId, JsonElement rtpParameters, CancellationToken cancellationToken = default);

    Task PauseConsumerAsync(uint consumerId, CancellationToken cancellationToken = default);

    Task ResumeConsumerAsync(uint consumerId, CancellationToken cancellationToken = default);

    Task SetConsumerPreferredProfileAsync(uint consumerId, string profile, CancellationToken cancellationToken = default);

    Task RequestConsumerKeyFrameAsync(uint consumerId, CancellationToken cancellationToken = default);

    Task CloseConsumerAsync(uint consumerId, CancellationToken cancellationToken = default);

    Task<JsonElement> GetConsumerStatsAsync(uint consumerId, CancellationToken cancellationToken = default);

    /// <summary>Turns the 500 ms <see cref="IMediaEventSink.AudioLevels"/> event on or off (idempotent).</summary>
    Task SetAudioLevelsEventAsync(bool enabled, CancellationToken cancellationToken = default);

    // Diagnostics: one object per request (each reply stays far below the worker's 64 KiB limit,
    // which a whole-router dump of a busy room exceeds). Ids in the result are protocol ids.

    /// <summary>The worker's <c>transport.dump</c>: ICE/DTLS state and parameters, selected tuple, RTP listener.</summary>
    Task<JsonElement> DumpTransportAsync(uint transportId, CancellationToken cancellationToken = default);

    /// <summary>The worker's <c>producer.dump</c>: kind, paused, normalised RTP parameters, RTP streams.</summary>
    Task<JsonElement> DumpProducerAsync(uint producerId, CancellationToken cancellationToken = default);

    /// <summary>The worker's <c>consumer.dump</c>: source producer, paused and source-paused flags, profiles, RTP parameters while enabled.</summary>
    Task<JsonElement> DumpConsumerAsync(uint consumerId, CancellationToken cancellationToken = default);
}
