using System.Collections.Concurrent;
using Coordinator.Grains.Interfaces.Hosting;
using Coordinator.Grains.Interfaces.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Coordinator.Silo.Streams;

/// <summary>
/// The queues behind the notification streams: in-memory queue grains that a reader waits on
/// instead of polling (Orleans' memory streams poll each queue every few milliseconds, a steady
/// cost even when nothing happens), and a cache that lets go of a batch once every subscriber has
/// it. Publishers on any silo or client append to the queue of the stream; the pulling agent that
/// owns the queue reads it, and a batch leaves the queue only once delivered, so a queue moving to
/// another silo's agent loses nothing.
/// </summary>
public sealed class NotificationQueueAdapterFactory(
    string name,
    NotificationStreamSettings settings,
    IGrainFactory grains,
    ILoggerFactory loggerFactory) : IQueueAdapterFactory, IQueueAdapter
{
    private readonly HashRingBasedStreamQueueMapper _mapper = new(new HashRingStreamQueueMapperOptions { TotalQueueCount = settings.Queues }, name);
    private readonly SimpleQueueAdapterCache _cache = new(new SimpleQueueCacheOptions { CacheSize = settings.CachedBatchesPerQueue }, name, loggerFactory);
    private readonly IStreamFailureHandler _failures = new NoOpStreamDeliveryFailureHandler();

    public string Name => name;

    /// <summary>A batch is read once; a subscriber that joins later does not see earlier ones.</summary>
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public static NotificationQueueAdapterFactory Create(IServiceProvider services, string name) =>
        ActivatorUtilities.CreateInstance<NotificationQueueAdapterFactory>(services, name);

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult(_failures);

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        _senders.GetOrAdd(_mapper.GetQueueForStream(streamId), static (id, factory) => new NotificationQueueSender(factory.Queue(id)), this)
            .SendAsync(new QueuedBatch(streamId, [.. events.Cast<object>()]));

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new NotificationQueueReceiver(Queue(queueId), queueId, settings.QueueReadWait, loggerFactory.CreateLogger<NotificationQueueReceiver>());

    private readonly ConcurrentDictionary<QueueId, NotificationQueueSender> _senders = new();

    private INotificationQueueGrain Queue(QueueId queueId) => grains.GetGrain<INotificationQueueGrain>(QueueKey(name, queueId));

    /// <summary>The key of the grain behind queue <paramref name="queueId"/> of provider <paramref name="providerName"/>.</summary>
    public static string QueueKey(string providerName, QueueId queueId) => $"{providerName}/{queueId}";
}
