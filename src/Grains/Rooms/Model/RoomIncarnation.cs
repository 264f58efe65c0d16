using Coordinator.Grains.Media;

namespace Coordinator.Grains.Rooms.Model;

/// <summary>
/// One life of a room id: from first use until it closes. A new incarnation gets a new id, and
/// every call from a peer names the incarnation it belongs to, so nothing of an old life can act
/// on a new one.
/// </summary>
internal sealed class RoomIncarnation(Guid id, IMediaRouter router, RoomMediaEvents mediaEvents, OpenRoomEntry entry)
{
    private readonly List<RoomMember> _members = [];

    public Guid Id { get; } = id;

    /// <summary>This incarnation's mediasoup router, on a worker of this silo.</summary>
    public IMediaRouter Router { get; } = router;

    public RoomMediaEvents MediaEvents { get; } = mediaEvents;

    public bool Closed { get; set; }

    /// <summary>This incarnation in the silo's registry of open rooms.</summary>
    public OpenRoomEntry Entry { get; } = entry;

    /// <summary>An operator's override of <see cref="RoomLimits.MaxPeersPerRoom"/>; it lives and dies with this incarnation.</summary>
    public int? MaxPeers { get; set; }

    /// <summary>An operator's override of <see cref="RoomSettings.EmptyRoomGracePeriod"/>; it lives and dies with this incarnation.</summary>
    public TimeSpan? EmptyRoomTimeout { get; set; }

    /// <summary>Members in join order, which is the order of every fan-out.</summary>
    public IReadOnlyList<RoomMember> Members => _members;

    /// <summary>Room-wide indexes: transport and producer ids are unique per Room, consumer ids too.</summary>
    public Dictionary<uint, RoomTransport> Transports { get; } = [];

    public Dictionary<uint, RoomProducer> Producers { get; } = [];

    public Dictionary<uint, RoomConsumer> Consumers { get; } = [];

    public RoomMember? Find(string name) => _members.Find(member => member.Name == name);

    public void Add(RoomMember member) => _members.Add(member);

    public void Remove(RoomMember member) => _members.Remove(member);

    /// <summary>Shows the current sizes in the registry (after each operation).</summary>
    public void PublishCounts() => Entry.Update(_members.Count, Transports.Count, Producers.Count, Consumers.Count);
}
