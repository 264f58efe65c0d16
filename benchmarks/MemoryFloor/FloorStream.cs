namespace Coordinator.MemoryFloor;

/// <summary>The benchmark's gateway notification stream: the server subscribes once, each grain publishes one item on it.</summary>
public static class FloorStream
{
    public const string Key = "memory-floor/0";
}
