namespace Coordinator.Gateway.Frontend;

/// <summary>
/// The rooms a frontend may open sessions in, from its token's <c>room</c> claim: <c>*</c> for every
/// room, <c>prefix*</c> for the rooms whose id starts with <c>prefix</c>, anything else for that one
/// room. Development mode allows every room.
/// </summary>
public sealed record FrontendScope(string Claim)
{
    public static readonly FrontendScope AllRooms = new("*");

    public bool Allows(string roomId) => Claim.EndsWith('*')
        ? roomId.StartsWith(Claim[..^1], StringComparison.Ordinal)
        : roomId == Claim;
}
