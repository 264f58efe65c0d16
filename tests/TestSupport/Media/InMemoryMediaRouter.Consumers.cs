using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Media;

namespace Coordinator.TestSupport.Media;

/// <summary>Consumers and the audio levels switch.</summary>
public sealed partial class InMemoryMediaRouter
{
    private TaskCompletionSource? _consumerCreationHold;
    private int _heldConsumerCreations;

    /// <summary>Consumer creations sent since <see cref="HoldConsumerCreations"/> and not yet let through.</summary>
    public int HeldConsumerCreations => Locked(() => _heldConsumerCreations);

    /// <summary>Plays a slow worker: consumer creations wait, unanswered, until <see cref="ReleaseConsumerCreations"/>.</summary>
    public void HoldConsumerCreations()
    {
        lock (_gate)
        {
            _consumerCreationHold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ReleaseConsumerCreations()
    {
        TaskCompletionSource? hold;
        lock (_gate)
        {
            hold = _consumerCreationHold;
            _consumerCreationHold = null;
            _heldConsumerCreations = 0;
        }

        hold?.SetResult();
    }

    public async Task CreateConsumerAsync(uint consumerId, uint producerId, string kind, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource? hold;
        lock (_gate)
        {
            hold = _consumerCreationHold;
            if (hold is not null)
            {
                _heldConsumerCreations++;
            }
        }

        if (hold is not null)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        await CreateConsumerNowAsync(consumerId, producerId, kind, cancellationToken);
    }

    private Task CreateConsumerNowAsync(uint consumerId, uint producerId, string kind, CancellationToken cancellationToken) =>
        Call(
            () =>
            {
                // The worker's order (verified): the new id, the producer, then the kind.
                if (_consumers.ContainsKey(consumerId))
                {
                    throw new MediaPlaneException("a Consumer with same consumerId already exists");
                }

                var producer = LiveProducer(producerId);
                if (InMemoryRtpChecks.CheckKind(kind) != producer.Kind)
                {
                    throw new MediaPlaneException("not matching kind");
                }

                _consumers.Add(consumerId, new InMemoryConsumer(consumerId, producerId, producer.Kind));
                producer.Consumers.Add(consumerId);
                if (producer.Paused)
                {
                    _events.ConsumerSourcePaused(consumerId);
                }
            },
            cancellationToken);

    public Task EnableConsumerAsync(uint consumerId, uint transportId, JsonElement rtpParameters, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                var consumer = LiveConsumer(consumerId);
                var transport = LiveTransport(transportId);
                if (rtpParameters.ValueKind != JsonValueKind.Object)
                {
                    throw new MediaPlaneException("missing data.rtpParameters");
                }

                var ssrc = InMemoryRtpChecks.CheckConsumerRtpParameters(rtpParameters);

                // Enabling again moves it, as the worker allows.
                if (consumer.EnabledOn is { } previous)
                {
                    _transports[previous].EnabledConsumers.Remove(consumerId);
                }

                consumer.EnabledOn = transportId;
                consumer.RtpParameters = rtpParameters.Clone();
                consumer.Ssrc = ssrc;
                transport.EnabledConsumers.Add(consumerId);
            },
            cancellationToken);

    public Task PauseConsumerAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        Call(() => LiveConsumer(consumerId).Paused = true, cancellationToken);

    public Task ResumeConsumerAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        Call(() => LiveConsumer(consumerId).Paused = false, cancellationToken);

    public Task SetConsumerPreferredProfileAsync(uint consumerId, string profile, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                var consumer = LiveConsumer(consumerId);
                InMemoryRtpChecks.CheckProfile(profile);
                consumer.PreferredProfile = profile;
            },
            cancellationToken);

    public Task RequestConsumerKeyFrameAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        Call(() => LiveConsumer(consumerId), cancellationToken);

    /// <summary>Our own close is not reported back (no <see cref="IMediaEventSink.ConsumerClosed"/>).</summary>
    public Task CloseConsumerAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        Call(() => ForgetConsumerLocked(LiveConsumer(consumerId)), cancellationToken);

    /// <summary><c>[]</c> while disabled; <c>[outbound-rtp]</c> while enabled (no media, so the effective profile stays <c>none</c>).</summary>
    public Task<JsonElement> GetConsumerStatsAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                var consumer = LiveConsumer(consumerId);
                return consumer.EnabledOn is { } transportId
                    ? Element(new JsonArray(consumer.OutboundStats(transportId)))
                    : Element(new JsonArray());
            },
            cancellationToken);

    public Task SetAudioLevelsEventAsync(bool enabled, CancellationToken cancellationToken = default) =>
        Call(() => _audioLevelsEnabled = enabled, cancellationToken);

    private void ForgetConsumerLocked(InMemoryConsumer consumer)
    {
        _consumers.Remove(consumer.Id);
        if (_producers.TryGetValue(consumer.ProducerId, out var producer))
        {
            producer.Consumers.Remove(consumer.Id);
        }

        if (consumer.EnabledOn is { } transportId && _transports.TryGetValue(transportId, out var transport))
        {
            transport.EnabledConsumers.Remove(consumer.Id);
        }
    }

    private InMemoryConsumer LiveConsumer(uint consumerId) =>
        _consumers.TryGetValue(consumerId, out var consumer) ? consumer : throw new MediaPlaneException("Consumer not found");
}
