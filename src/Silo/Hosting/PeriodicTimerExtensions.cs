namespace Coordinator.Silo.Hosting;

public static class PeriodicTimerExtensions
{
    /// <summary>Waits for the next tick; false once the host is stopping.</summary>
    public static async Task<bool> TickOrStopAsync(this PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
