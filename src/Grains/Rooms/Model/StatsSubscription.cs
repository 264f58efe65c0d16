namespace Coordinator.Grains.Rooms.Model;

/// <summary>An object's periodic stats report (docs/protocol.md#stats): enabled once, stopped on disable or close.</summary>
internal sealed class StatsSubscription
{
    private IDisposable? _timer;

    public bool Enabled => _timer is not null;

    public void Start(IDisposable timer) => _timer = timer;

    public void Stop()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
