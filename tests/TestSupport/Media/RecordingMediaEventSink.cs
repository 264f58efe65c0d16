using System.Collections.Concurrent;
using Coordinator.Grains.Media;

namespace Coordinator.TestSupport.Media;

/// <summary>One event a router delivered: the sink method, the object id (0 if none) and its value.</summary>
public sealed record MediaEventRecord(string Name, uint Id = 0, string? Value = null, IReadOnlyList<AudioLevel>? Levels = null)
{
    public override string ToString() => Levels is null ? $"{Name}({Id}{(Value is null ? string.Empty : ", " + Value)})" : $"{Name}[{string.Join(", ", Levels)}]";
}

/// <summary>An <see cref="IMediaEventSink"/> that records every event, in order, for assertions. Thread-safe.</summary>
public sealed class RecordingMediaEventSink : IMediaEventSink
{
    private readonly ConcurrentQueue<MediaEventRecord> _events = new();
    private readonly TaskCompletionSource<string> _routerClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Everything delivered so far, in delivery order.</summary>
    public IReadOnlyList<MediaEventRecord> Events => [.. _events];

    /// <summary>Completes with the reason when <see cref="RouterClosed"/> is delivered.</summary>
    public Task<string> RouterClosedTask => _routerClosed.Task;

    public IReadOnlyList<MediaEventRecord> Named(string name) => [.. _events.Where(e => e.Name == name)];

    public void TransportClosed(uint transportId) => Add(new(nameof(TransportClosed), transportId));

    public void IceStateChanged(uint transportId, string iceState) => Add(new(nameof(IceStateChanged), transportId, iceState));

    public void DtlsStateChanged(uint transportId, string dtlsState) => Add(new(nameof(DtlsStateChanged), transportId, dtlsState));

    public void ConsumerClosed(uint consumerId) => Add(new(nameof(ConsumerClosed), consumerId));

    public void ConsumerSourcePaused(uint consumerId) => Add(new(nameof(ConsumerSourcePaused), consumerId));

    public void ConsumerSourceResumed(uint consumerId) => Add(new(nameof(ConsumerSourceResumed), consumerId));

    public void ConsumerEffectiveProfileChanged(uint consumerId, string profile) => Add(new(nameof(ConsumerEffectiveProfileChanged), consumerId, profile));

    public void AudioLevels(IReadOnlyList<AudioLevel> levels) => Add(new(nameof(AudioLevels), Levels: [.. levels]));

    public void RouterClosed(string reason)
    {
        Add(new(nameof(RouterClosed), Value: reason));
        _routerClosed.TrySetResult(reason);
    }

    private void Add(MediaEventRecord record) => _events.Enqueue(record);
}
