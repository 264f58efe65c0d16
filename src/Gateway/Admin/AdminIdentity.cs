namespace Coordinator.Gateway.Admin;

/// <summary>
/// Who is calling the admin API, from a valid token with the <c>admin</c> grant. The token's
/// <c>peer</c> claim names the operator (written to the log with each action); its <c>room</c> claim
/// is the scope: <c>*</c> for every room, otherwise that one room only.
/// </summary>
public sealed record AdminIdentity(string Operator, string? Room)
{
    /// <summary>The <c>room</c> claim of a token for every room.</summary>
    public const string AllRooms = "*";

    public bool MayManage(string roomId) => Room is null || Room == roomId;
}
