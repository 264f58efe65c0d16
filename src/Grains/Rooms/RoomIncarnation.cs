namespace Coordinator.Grains.Rooms;

/// <summary>
/// One life of a room id: from first use until it closes. A new incarnation gets a new id, and
/// every call from a peer names the incarnation it belongs to, so nothing of an old life can act
/// on a new one.
/// </summary>
internal sealed class RoomIncarnation
{
    private readonly List<RoomMember> _members = [];

    public Guid Id { get; } = Guid.NewGuid();

    public bool Closed { get; set; }

    /// <summary>Members in join order, which is the order of every fan-out.</summary>
    public IReadOnlyList<RoomMember> Members => _members;

    public RoomMember? Find(string name) => _members.Find(member => member.Name == name);

    public void Add(RoomMember member) => _members.Add(member);

    public void Remove(RoomMember member) => _members.Remove(member);
}
