using Coordinator.Grains.Media;

namespace Coordinator.Grains.Rooms.Model;

/// <summary>
/// One life of a room id: from first use until it closes. A new incarnation gets a new id, and
/// every call from a peer names the incarnation it belongs to, so nothing of an old life can act
/// on a new one.
/// </summary>
internal sealed class RoomIncarnation(Guid id, IMediaRouter router, RoomMediaEvents mediaEvents)
{
    private readonly List<RoomMember> _members = [];

    public Guid Id { get; } = id;

    /// <summary>This incarnation's mediasoup router, on a worker of this silo.</summary>
    public IMediaRouter Router { get; } = router;

    public RoomMediaEvents MediaEvents { get; } = mediaEvents;

    public bool Closed { get; set; }

    /// <summary>Members in join order, which is the order of every fan-out.</summary>
    public IReadOnlyList<RoomMember> Members => _members;

    /// <summary>Room-wide indexes: transport and producer ids are unique per Room, consumer ids too.</summary>
    public Dictionary<uint, RoomTransport> Transports { get; } = [];

    public Dictionary<uint, RoomProducer> Producers { get; } = [];

    public Dictionary<uint, RoomConsumer> Consumers { get; } = [];

    public RoomMember? Find(string name) => _members.Find(member => member.Name == name);

    public void Add(RoomMember member) => _members.Add(member);

    public void Remove(RoomMember member) => _members.Remove(member);
}
