namespace Coordinator.Grains.Interfaces.Streams;

/// <summary>Batches read from a notification queue; the first is at <see cref="FirstPosition"/>, the others follow it.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.QueueRead")]
public sealed record QueueRead([property: Id(0)] long FirstPosition, [property: Id(1)] QueuedBatch[] Batches)
{
    public static readonly QueueRead Empty = new(0, []);
}
