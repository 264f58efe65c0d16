namespace Coordinator.Silo.Workers;

/// <summary>
/// The <c>internal</c> member of a request: the target object ids, JSON numbers. The channel
/// leaves unset ids out.
/// </summary>
public readonly record struct WorkerInternal(uint? RouterId = null, uint? TransportId = null, uint? ProducerId = null, uint? ConsumerId = null);
