
namespace Coordinator.Gateway.Tests;

/// <summary>
/// A well-behaved two-peer room that keeps asking the node for its room while a test attacks it;
/// at the end every request must have been answered with success and both sockets still be open.
/// </summary>
internal sealed class Bystander : IAsyncDisposable
{
    private readonly JoinedPeers _peers;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly List<string> _failures = [];
    private int _requests;

    private Bystander(JoinedPeers peers)
    {
        _peers = peers;
        _running = Task.Run(RunAsync);
    }

    public static async Task<Bystander> StartAsync(EmbeddedNode node)
    {
        var peers = await node.JoinedPeersAsync($"bystander-{Guid.NewGuid():N}", "alice", "bob");
        await peers[0].WaitForNotificationAsync("newPeer");
        return new Bystander(peers);
    }

    /// <summary>Stops asking and asserts that nothing failed.</summary>
    public async Task AssertUnaffectedAsync()
    {
        await _stop.CancelAsync();
        await _running;
        Assert.True(_requests > 0, "the bystander room made requests");
        Assert.Empty(_failures);
        Assert.All(_peers, peer => Assert.Null(peer.CloseStatus));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.ContinueWith(_ => { }, TaskScheduler.Default);
        await _peers.DisposeAsync();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var peer in _peers)
            {
                try
                {
                    var response = await peer.QueryRoomAsync();
                    if (!response.TryGetProperty("ok", out _))
                    {
                        _failures.Add($"{peer.PeerName}: {response}");
                    }
                }
                catch (Exception exception)
                {
                    _failures.Add($"{peer.PeerName}: {exception.GetType().Name}: {exception.Message}");
                }

                _requests++;
            }

            // Pacing, well under the per-socket message rate of every test node.
            await Task.Delay(200, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
