using System.Threading.Channels;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Media;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Rooms;

/// <summary>
/// Carries one router's events to its Room grain. The media plane calls the sink on its channel
/// reader, which must not block; events are queued and delivered by one pump, in order, as
/// ordinary Room calls (queued behind whatever the Room is doing, never interleaved with it).
/// </summary>
internal sealed class RoomMediaEvents : IMediaEventSink
{
    private readonly Channel<MediaEvent> _queue = Channel.CreateUnbounded<MediaEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IRoomGrain _room;
    private readonly Guid _incarnation;
    private readonly ILogger _logger;

    public RoomMediaEvents(IGrainFactory grains, string roomId, Guid incarnation, ILogger logger)
    {
        _room = grains.Reference<IRoomGrain>(roomId);
        _incarnation = incarnation;
        _logger = logger;
        _ = Task.Run(PumpAsync);
    }

    /// <summary>Stops the pump once the queued events are delivered.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public void TransportClosed(uint transportId) => Enqueue(new MediaEvent(MediaEventKind.TransportClosed, transportId));

    public void IceStateChanged(uint transportId, string iceState) => Enqueue(new MediaEvent(MediaEventKind.IceStateChanged, transportId, iceState));

    public void DtlsStateChanged(uint transportId, string dtlsState) => Enqueue(new MediaEvent(MediaEventKind.DtlsStateChanged, transportId, dtlsState));

    public void ConsumerClosed(uint consumerId) => Enqueue(new MediaEvent(MediaEventKind.ConsumerClosed, consumerId));

    public void ConsumerSourcePaused(uint consumerId) => Enqueue(new MediaEvent(MediaEventKind.ConsumerSourcePaused, consumerId));

    public void ConsumerSourceResumed(uint consumerId) => Enqueue(new MediaEvent(MediaEventKind.ConsumerSourceResumed, consumerId));

    public void ConsumerEffectiveProfileChanged(uint consumerId, string profile) =>
        Enqueue(new MediaEvent(MediaEventKind.ConsumerEffectiveProfileChanged, consumerId, profile));

    public void AudioLevels(IReadOnlyList<AudioLevel> levels) =>
        Enqueue(new MediaEvent(MediaEventKind.AudioLevels, Levels: [.. levels.Select(level => new AudioLevelEntry(level.ProducerId, level.DBov))]));

    public void RouterClosed(string reason) => Enqueue(new MediaEvent(MediaEventKind.RouterClosed, Value: reason));

    private void Enqueue(MediaEvent mediaEvent) => _queue.Writer.TryWrite(mediaEvent);

    private async Task PumpAsync()
    {
        var batch = new List<MediaEvent>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (_queue.Reader.TryRead(out var mediaEvent))
            {
                batch.Add(mediaEvent);
            }

            try
            {
                await _room.OnMediaEvents(_incarnation, [.. batch]);
            }
            catch (Exception exception)
            {
                _logger.LogError(exception, "Media events for room incarnation {Incarnation} could not be delivered", _incarnation);
            }

            batch.Clear();
        }
    }
}
