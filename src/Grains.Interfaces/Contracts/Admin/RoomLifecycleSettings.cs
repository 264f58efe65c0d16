namespace Coordinator.Grains.Interfaces;

/// <summary>
/// Per-room overrides of the deployment's lifecycle settings (<c>Limits:MaxPeersPerRoom</c>,
/// <c>Rooms:EmptyRoomGracePeriod</c>); a null value means "the deployment's".
/// </summary>
[GenerateSerializer, Immutable, Alias("Coordinator.RoomSettingsOverride")]
public sealed record RoomSettingsOverride(
    [property: Id(0)] int? MaxPeers,
    [property: Id(1)] TimeSpan? EmptyRoomTimeout)
{
    /// <summary>The longest empty-room timeout: an idle room holds a router on a worker all that time.</summary>
    public static readonly TimeSpan MaxEmptyRoomTimeout = TimeSpan.FromDays(1);

    /// <summary>Why these values cannot be used, or null when they can.</summary>
    public string? Problem() => this switch
    {
        { MaxPeers: <= 0 } => "maxPeers must be a positive integer",
        { EmptyRoomTimeout: { } timeout } when timeout < TimeSpan.Zero => "emptyRoomTimeout cannot be negative",
        { EmptyRoomTimeout: { } timeout } when timeout > MaxEmptyRoomTimeout => $"emptyRoomTimeout cannot exceed {MaxEmptyRoomTimeout}",
        _ => null,
    };
}

/// <summary>A room's lifecycle settings in force, and which of them are its own overrides.</summary>
[GenerateSerializer, Immutable, Alias("Coordinator.RoomLifecycleSettings")]
public sealed record RoomLifecycleSettings(
    [property: Id(0)] int MaxPeers,
    [property: Id(1)] TimeSpan EmptyRoomTimeout,
    [property: Id(2)] RoomSettingsOverride Overrides);
