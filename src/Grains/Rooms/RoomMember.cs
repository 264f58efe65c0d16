using System.Text.Json;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Rooms;

/// <summary>A joined peer as the Room sees it (SPEC.md §5.2).</summary>
internal sealed record RoomMember(
    PeerSession Session,
    bool Spy,
    JsonElement RtpCapabilities,
    JsonElement? AppData)
{
    public string Name => Session.PeerName;
}
