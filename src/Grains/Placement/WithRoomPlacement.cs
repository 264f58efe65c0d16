using Orleans.Placement;

namespace Coordinator.Grains.Placement;

/// <summary>
/// Places a Peer grain on the silo of its Room, so a room and its peers live and die together:
/// a silo loss then ends only the rooms it hosted, and rooms elsewhere lose none of their peers.
/// </summary>
[GenerateSerializer, Immutable, Alias("Coordinator.WithRoomPlacement")]
public sealed class WithRoomPlacement : PlacementStrategy
{
    internal static readonly WithRoomPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class WithRoomPlacementAttribute() : PlacementAttribute(WithRoomPlacement.Instance);
