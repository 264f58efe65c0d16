using System.Text.Json;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// Bounded waits on a condition observed in the browser. Every probe is a round trip to the page,
/// so this polls every 100 ms (not 10 ms like TestSupport's Eventually) and reports what it saw last.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string awaited)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {awaited}\nlast observed: {Describe(value)}");
            }

            await Task.Delay(Interval);
        }
    }

    private static string Describe<T>(T value) =>
        value is PageLog or string ? value.ToString()! : JsonSerializer.Serialize(value);
}
