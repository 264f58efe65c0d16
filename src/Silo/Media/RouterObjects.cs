using Coordinator.Grains.Media;
using Coordinator.Protocol;
using Coordinator.Silo.Workers;

namespace Coordinator.Silo.Media;

/// <summary>The kinds of object a router maps to worker ids.</summary>
internal enum MediaObjectKind
{
    Transport,
    Producer,
    Consumer,
}

/// <summary>Where an object is in its life, as the router sees it.</summary>
internal enum RouterObjectState
{
    /// <summary>Its creation is in flight: the id is taken (duplicate check), but the object is not usable.</summary>
    Creating,

    Live,

    /// <summary>Left its table: the worker no longer holds it, or its creation failed, or the router closed.</summary>
    Gone,
}

/// <summary>
/// What the router remembers of one transport, producer or consumer. Only its
/// <see cref="RouterObjectTable{TRecord}"/> changes <see cref="State"/>; everything is guarded by
/// the router's lock.
/// </summary>
internal abstract class RouterObject(uint id, uint workerId, RouterObject? parent)
{
    /// <summary>The protocol id: chosen by the client (transports, producers) or the Room (consumers).</summary>
    public uint Id { get; } = id;

    /// <summary>Our fresh id for it in the worker (docs/worker-channel.md#ids).</summary>
    public uint WorkerId { get; } = workerId;

    /// <summary>The object it was created on (a producer's transport, a consumer's producer); the worker closes it with its parent.</summary>
    public RouterObject? Parent { get; } = parent;

    /// <summary>The live objects created on it: a transport's producers, a producer's consumers.</summary>
    public HashSet<RouterObject> Children { get; } = [];

    public RouterObjectState State { get; set; }

    /// <summary>Still in its table (live, or being created): the worker may hold it.</summary>
    public bool IsCurrent => State != RouterObjectState.Gone;

    public bool IsLive => State == RouterObjectState.Live;

    /// <summary>Set by our own close: its <c>close</c> event is then not reported as the worker's doing.</summary>
    public bool ClosingByUs { get; set; }

    /// <summary>Its worker events, for the kinds that have any (transports, consumers).</summary>
    public IDisposable? Subscription { get; set; }

    /// <summary>The reference's text when it is missing, e.g. as the parent of an object being created.</summary>
    public abstract string NotFound { get; }

    /// <summary>How the worker addresses it (the <c>internal</c> member of a request).</summary>
    public abstract WorkerInternal Target(uint routerId);
}

/// <summary>
/// One transport. Worker events are ignored until it is live: the only event of a transport in
/// creation is the spurious <c>close</c> of a failed creation (docs/worker-channel.md#events).
/// </summary>
internal sealed class TransportRecord(uint id, uint workerId, TransportKind kind) : RouterObject(id, workerId, parent: null)
{
    public TransportKind Kind { get; } = kind;

    /// <summary>Consumers currently enabled on (sending over) this transport.</summary>
    public HashSet<ConsumerRecord> EnabledConsumers { get; } = [];

    public override string NotFound => MediaObjectTexts.TransportNotFound;

    public override WorkerInternal Target(uint routerId) => new(RouterId: routerId, TransportId: WorkerId);
}

/// <summary>One producer, a child of its transport. The worker never emits producer events.</summary>
internal sealed class ProducerRecord(uint id, uint workerId, TransportRecord transport) : RouterObject(id, workerId, transport)
{
    public TransportRecord Transport { get; } = transport;

    public override string NotFound => MediaObjectTexts.ProducerNotFound;

    public override WorkerInternal Target(uint routerId) => new(RouterId: routerId, ProducerId: WorkerId);
}

/// <summary>
/// One consumer, a child of its producer. Its events are delivered while its creation is in flight
/// too: the worker reports <c>sourcepaused</c> for a paused producer before it answers
/// <c>router.createConsumer</c>.
/// </summary>
internal sealed class ConsumerRecord(uint id, uint workerId, ProducerRecord producer) : RouterObject(id, workerId, producer)
{
    public ProducerRecord Producer { get; } = producer;

    /// <summary>The transport it sends on, or null while disabled.</summary>
    public TransportRecord? EnabledOn { get; set; }

    public override string NotFound => MediaObjectTexts.ConsumerNotFound;

    public override WorkerInternal Target(uint routerId) => new(RouterId: routerId, ConsumerId: WorkerId);
}
