namespace Coordinator.TestSupport;

/// <summary>Waits on an explicit condition with a bounded timeout, instead of sleeping.</summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, TimeSpan timeout, string awaited)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {awaited}");
            }

            await Task.Delay(10);
        }
    }

    public static async Task True(Func<Task<bool>> condition, TimeSpan timeout, string awaited)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {awaited}");
            }

            await Task.Delay(10);
        }
    }

    public static async Task<T> Within<T>(Task<T> task, TimeSpan timeout, string awaited)
    {
        var finished = await Task.WhenAny(task, Task.Delay(timeout));
        return finished == task
            ? await task
            : throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {awaited}");
    }
}
