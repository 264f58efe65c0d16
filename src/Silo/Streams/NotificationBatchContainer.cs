using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Coordinator.Silo.Streams;

/// <summary>One publish on one stream, as the pulling agent caches it and hands it to subscribers (possibly on another silo or client).</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.NotificationBatchContainer")]
internal sealed class NotificationBatchContainer(StreamId streamId, object[] events, EventSequenceTokenV2 sequenceToken) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    private readonly object[] _events = events;

    [Id(2)]
    private readonly EventSequenceTokenV2 _sequenceToken = sequenceToken;

    public StreamSequenceToken SequenceToken => _sequenceToken;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        _events.OfType<T>().Select((item, index) => Tuple.Create(item, (StreamSequenceToken)_sequenceToken.CreateSequenceTokenForEvent(index)));

    /// <summary>Notifications carry no request context (trace context travels with the grain calls that cause them).</summary>
    public bool ImportRequestContext() => false;
}
