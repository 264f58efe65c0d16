using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Media;

namespace Coordinator.TestSupport.Media;

/// <summary>Producers: the worker's checks in its order (see <see cref="InMemoryRtpChecks"/> for what is not checked).</summary>
public sealed partial class InMemoryMediaRouter
{
    public Task CreateProducerAsync(
        uint producerId,
        uint transportId,
        string kind,
        JsonElement rtpParameters,
        JsonElement rtpMapping,
        bool paused,
        CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                if (_producers.ContainsKey(producerId))
                {
                    throw new MediaPlaneException("a Producer with same producerId already exists");
                }

                var transport = LiveTransport(transportId);
                if (kind is null)
                {
                    throw new MediaPlaneException("missing data.kind");
                }

                if (rtpParameters.ValueKind != JsonValueKind.Object)
                {
                    throw new MediaPlaneException("missing data.rtpParameters");
                }

                if (rtpMapping.ValueKind != JsonValueKind.Object)
                {
                    throw new MediaPlaneException("missing data.rtpMapping");
                }

                var normalisedKind = InMemoryRtpChecks.CheckKind(kind);
                InMemoryRtpChecks.CheckRtpParameters(rtpParameters);
                InMemoryRtpChecks.CheckMapping(rtpMapping);

                var ssrcs = InMemoryRtpChecks.Ssrcs(rtpParameters).ToArray();
                foreach (var ssrc in ssrcs.Where(transport.Ssrcs.ContainsKey))
                {
                    throw new MediaPlaneException($"ssrc already exists in RTP listener [ssrc:{ssrc}]");
                }

                var muxId = InMemoryRtpChecks.MuxId(rtpParameters);
                if (muxId is not null && transport.MuxIds.ContainsKey(muxId))
                {
                    throw new MediaPlaneException($"muxId already exists in RTP listener [muxId:'{muxId}']");
                }

                foreach (var ssrc in ssrcs)
                {
                    transport.Ssrcs[ssrc] = producerId;
                }

                if (muxId is not null)
                {
                    transport.MuxIds[muxId] = producerId;
                }

                _producers.Add(producerId, new InMemoryProducer(producerId, transportId, normalisedKind, paused, ssrcs, muxId, rtpParameters));
                transport.Producers.Add(producerId);
            },
            cancellationToken);

    public Task PauseProducerAsync(uint producerId, CancellationToken cancellationToken = default) =>
        Call(() => SetProducerPausedLocked(LiveProducer(producerId), paused: true), cancellationToken);

    public Task ResumeProducerAsync(uint producerId, CancellationToken cancellationToken = default) =>
        Call(() => SetProducerPausedLocked(LiveProducer(producerId), paused: false), cancellationToken);

    public Task SetProducerPreferredProfileAsync(uint producerId, string profile, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                LiveProducer(producerId);
                InMemoryRtpChecks.CheckProfile(profile);
            },
            cancellationToken);

    public Task CloseProducerAsync(uint producerId, CancellationToken cancellationToken = default) =>
        Call(() => ForgetProducerLocked(LiveProducer(producerId)), cancellationToken);

    /// <summary>No media ever arrives, so always <c>[]</c> (the worker's answer before the first RTP packet).</summary>
    public Task<JsonElement> GetProducerStatsAsync(uint producerId, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                LiveProducer(producerId);
                return Element(new JsonArray());
            },
            cancellationToken);

    /// <summary>Every consumer, enabled or not, hears of real transitions only.</summary>
    private void SetProducerPausedLocked(InMemoryProducer producer, bool paused)
    {
        if (producer.Paused == paused)
        {
            return;
        }

        producer.Paused = paused;
        foreach (var consumerId in producer.Consumers)
        {
            if (paused)
            {
                _events.ConsumerSourcePaused(consumerId);
            }
            else
            {
                _events.ConsumerSourceResumed(consumerId);
            }
        }
    }

    /// <summary>Its consumers are closed and reported, then it goes silently (the worker emits no producer events).</summary>
    private void ForgetProducerLocked(InMemoryProducer producer)
    {
        foreach (var consumerId in producer.Consumers.ToArray())
        {
            ForgetConsumerLocked(_consumers[consumerId]);
            _events.ConsumerClosed(consumerId);
        }

        _producers.Remove(producer.Id);
        if (_transports.TryGetValue(producer.TransportId, out var transport))
        {
            transport.Producers.Remove(producer.Id);
            foreach (var ssrc in producer.Ssrcs)
            {
                transport.Ssrcs.Remove(ssrc);
            }

            if (producer.MuxId is not null)
            {
                transport.MuxIds.Remove(producer.MuxId);
            }
        }
    }

    private InMemoryProducer LiveProducer(uint producerId) =>
        _producers.TryGetValue(producerId, out var producer) ? producer : throw new MediaPlaneException("Producer not found");
}
