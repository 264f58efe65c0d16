using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Tests;

/// <summary>
/// A room of its own for a test (a fresh id each time), and the arrangement every test starts from:
/// sessions connected to it as the gateway would connect them, joined with real Chromium capabilities.
/// </summary>
public sealed class TestRoom(IClusterClient client)
{
    public string Id { get; } = $"room-{Guid.NewGuid():N}";

    public IRoomGrain Grain => client.GetGrain<IRoomGrain>(Id);

    /// <summary>A session for <paramref name="peerName"/>, connected to its peer grain but not joined.</summary>
    public Task<TestPeer> ConnectAsync(string peerName) => TestPeer.ConnectAsync(client, Id, peerName);

    /// <summary>A session for <paramref name="peerName"/>, connected and joined; the join must succeed.</summary>
    public async Task<TestPeer> JoinAsync(string peerName, bool spy = false, string? appDataJson = null)
    {
        var peer = await ConnectAsync(peerName);
        var result = await peer.JoinAsync(spy, appDataJson);
        Assert.True(result.Ok, $"{peerName} could not join: {result.ErrorReason}");
        return peer;
    }
}
