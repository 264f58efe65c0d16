using System.Diagnostics;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// Keeps a room busy: the publisher pauses and resumes its producer and opens and closes a
/// transport, over and over, so requests and notifications are in flight when something dies.
/// Records every request's outcome and the longest wait.
/// </summary>
internal sealed class Traffic(ProtooClient publisher, uint producer)
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private volatile int _completed;

    public int Completed => _completed;

    public List<TrafficFailure> Failures { get; } = [];

    public TimeSpan LongestRequest { get; private set; }

    /// <summary>How the longest request ended, and when it was sent (for a failure's story).</summary>
    public string LongestOutcome { get; private set; } = "";

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Waits until at least <paramref name="completed"/> requests (default 3) have completed.</summary>
    public async Task WaitForProgressAsync(int completed = 3)
    {
        await Eventually.True(() => Completed >= completed || Failures.Count > 0 || publisher.Closed.IsCompleted, TimeSpan.FromSeconds(30), $"{completed} requests of the traffic loop");
        if (Completed < completed && Failures.Count == 0)
        {
            // The loop ends with its socket: say how it closed instead of waiting out the patience.
            throw new InvalidOperationException($"the traffic loop's socket closed after {Completed} requests: {publisher.CloseStatus} {publisher.CloseDescription}");
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop!;
    }

    private async Task RunAsync()
    {
        for (var round = 0; !_stop.IsCancellationRequested && publisher.CloseStatus is null && !publisher.Closed.IsCompleted; round++)
        {
            var transport = Requests.NewId();
            var started = Stopwatch.GetTimestamp();
            var outcome = "cut by the socket's close";
            try
            {
                await publisher.NotifyAsync("mediasoup-notification", Requests.Notification(round % 2 == 0 ? "pauseProducer" : "resumeProducer", producer));
                started = Stopwatch.GetTimestamp();
                var response = await publisher.MediasoupAsync(Requests.SendTransport(transport));
                outcome = response.ToString();
                _completed++;
                if (!(response.TryGetProperty("ok", out var ok) && ok.GetBoolean()))
                {
                    Failures.Add(new TrafficFailure(started, response.ToString()));
                }
                else
                {
                    await publisher.NotifyAsync("mediasoup-notification", Requests.Notification("closeTransport", transport));
                }
            }
            catch (Exception exception) when (publisher.Closed.IsCompleted || publisher.CloseStatus is not null)
            {
                // The socket was closed under the request: the test asserts on the close itself.
                _ = exception;
                return;
            }
            catch (Exception exception)
            {
                outcome = exception.Message;
                Failures.Add(new TrafficFailure(started, exception.ToString()));
            }
            finally
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed > LongestRequest)
                {
                    LongestRequest = elapsed;
                    LongestOutcome = $"createTransport {transport} sent {DateTime.UtcNow - elapsed:HH:mm:ss.fff}: {outcome}";
                }
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>A failed request of the traffic loop and when it was sent (a <see cref="Stopwatch"/> timestamp).</summary>
internal sealed record TrafficFailure(long SentAt, string Description)
{
    public override string ToString() => Description;
}
