using Coordinator.Grains.Media;

namespace Coordinator.Silo.Media;

/// <summary>An object we may close ourselves, whose worker <c>close</c> event must then not be reported.</summary>
internal interface IClosableRecord
{
    bool ClosingByUs { get; set; }
}

/// <summary>
/// One transport of a router as the router knows it. <see cref="Live"/> is false while its
/// creation is in flight: the id is reserved (duplicate check) but the transport is not usable,
/// and worker events for it are ignored (a failed creation emits a spurious <c>close</c>).
/// </summary>
internal sealed class TransportRecord(uint id, uint workerId, TransportKind kind) : IClosableRecord
{
    public uint Id { get; } = id;

    public uint WorkerId { get; } = workerId;

    public TransportKind Kind { get; } = kind;

    public bool Live { get; set; }

    /// <summary>Set by our own close: its <c>close</c> event is then not reported as <c>TransportClosed</c>.</summary>
    public bool ClosingByUs { get; set; }

    public IDisposable? Subscription { get; set; }

    /// <summary>Producers created on this transport (protocol ids).</summary>
    public HashSet<uint> Producers { get; } = [];

    /// <summary>Consumers currently enabled on (sending over) this transport (protocol ids).</summary>
    public HashSet<uint> EnabledConsumers { get; } = [];
}

/// <summary>One producer. The worker never emits producer events, so it has no subscription.</summary>
internal sealed class ProducerRecord(uint id, uint workerId, uint transportId)
{
    public uint Id { get; } = id;

    public uint WorkerId { get; } = workerId;

    public uint TransportId { get; } = transportId;

    public bool Live { get; set; }

    /// <summary>Its consumers (protocol ids).</summary>
    public HashSet<uint> Consumers { get; } = [];
}

/// <summary>
/// One consumer. Its events are delivered while its creation is in flight too: the worker reports
/// <c>sourcepaused</c> for a paused producer before it answers <c>router.createConsumer</c>.
/// </summary>
internal sealed class ConsumerRecord(uint id, uint workerId, uint producerId) : IClosableRecord
{
    public uint Id { get; } = id;

    public uint WorkerId { get; } = workerId;

    public uint ProducerId { get; } = producerId;

    public bool Live { get; set; }

    /// <summary>Set by our own close: its <c>close</c> event is then not reported as <c>ConsumerClosed</c>.</summary>
    public bool ClosingByUs { get; set; }

    /// <summary>The transport it sends on (protocol id), or null while disabled.</summary>
    public uint? EnabledOn { get; set; }

    public IDisposable? Subscription { get; set; }
}
