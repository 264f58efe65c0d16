namespace Coordinator.Grains.Media;

/// <summary>
/// Receives a router's worker events, translated to protocol ids, one at a time and in the
/// worker's order. Implementations must return quickly (they run on the channel's reader):
/// queue the work. Events about objects the router no longer knows are not delivered.
/// </summary>
public interface IMediaEventSink
{
    /// <summary>The worker closed a transport (not in answer to our own close).</summary>
    void TransportClosed(uint transportId);

    void IceStateChanged(uint transportId, string iceState);

    void DtlsStateChanged(uint transportId, string dtlsState);

    /// <summary>The worker closed a consumer, e.g. because its producer closed.</summary>
    void ConsumerClosed(uint consumerId);

    void ConsumerSourcePaused(uint consumerId);

    void ConsumerSourceResumed(uint consumerId);

    /// <summary>The profile actually forwarded changed (<c>none|default|low|medium|high</c>); only while enabled.</summary>
    void ConsumerEffectiveProfileChanged(uint consumerId, string profile);

    /// <summary>Every 500 ms while enabled: (producer id, dBov from -127 to 0), loudest first.</summary>
    void AudioLevels(IReadOnlyList<AudioLevel> levels);

    /// <summary>The router is gone (its worker died); every later call fails.</summary>
    void RouterClosed(string reason);
}

public readonly record struct AudioLevel(uint ProducerId, int DBov);
