using System.Collections.Concurrent;
using System.Diagnostics;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Cluster.Tests;

/// <summary>The chaos run's current phase (a fault, or the recovery after one), read by every peer when it records something.</summary>
internal sealed class ChaosPhase
{
    private volatile string _current = "setup";

    public string Current
    {
        get => _current;
        set => _current = value;
    }
}

/// <summary>
/// One client of the chaos run: a peer that published audio and then sends a request about every
/// 200 ms (a send transport, closed again at once, between pause and resume of its producer).
/// Every request's outcome (counted in the phase it came in), the socket's close and every <c>peerClosed</c>/<c>closed</c>
/// notification are recorded with the phase they happened in.
/// </summary>
internal sealed class ChaosPeer
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);
    private readonly ChaosPhase _phase;
    private readonly uint _producer;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private volatile int _completed;

    public ChaosPeer(string roomId, string gateway, ProtooClient client, uint producer, ChaosPhase phase)
    {
        (RoomId, Gateway, Client, _producer, _phase) = (roomId, gateway, client, producer, phase);
        client.FrameReceived += (frame, at) =>
        {
            if (!ProtooClient.IsNotification(frame))
            {
                return;
            }

            var data = frame.GetProperty("data");
            var method = data.TryGetProperty("method", out var m) ? m.GetString() : null;
            if (method is "peerClosed" or "closed")
            {
                var name = data.TryGetProperty("name", out var n) ? n.GetString() : null;
                Departures.Enqueue(new ChaosDeparture(_phase.Current, method, name, at));
            }
        };
        client.Closed.ContinueWith(
            _ => Close = new ChaosClose(_phase.Current, client.CloseStatus is { } status ? $"{(int)status}" : "dropped (no close frame)", client.CloseDescription, Stopwatch.GetTimestamp()),
            TaskScheduler.Default);
    }

    public string RoomId { get; }

    public string Gateway { get; }

    public ProtooClient Client { get; }

    public int Completed => _completed;

    public ConcurrentQueue<ChaosRequest> Outcomes { get; } = new();

    public ConcurrentQueue<ChaosDeparture> Departures { get; } = new();

    /// <summary>How the socket closed, once it has.</summary>
    public ChaosClose? Close { get; private set; }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Waits until <paramref name="more"/> requests more than now have been answered (or the socket closed).</summary>
    public Task WaitForProgressAsync(int more, TimeSpan timeout)
    {
        var target = Completed + more;
        return Eventually.True(() => Completed >= target || Client.Closed.IsCompleted, timeout, $"{Client.PeerName} in {RoomId} to complete {more} more requests");
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    private async Task<bool> ClosesSoonAsync()
    {
        await Task.WhenAny(Client.Closed, Task.Delay(TimeSpan.FromSeconds(2)));
        return Client.Closed.IsCompleted;
    }

    private async Task RunAsync()
    {
        for (var round = 0; !_stop.IsCancellationRequested && !Client.Closed.IsCompleted; round++)
        {
            var started = Stopwatch.GetTimestamp();
            var startedIn = _phase.Current;
            var sent = false;
            try
            {
                await Client.NotifyAsync("mediasoup-notification", Requests.Notification(round % 2 == 0 ? "pauseProducer" : "resumeProducer", _producer));
                var transport = Requests.NewId();
                sent = true;
                var response = await Client.MediasoupAsync(Requests.SendTransport(transport));
                var ok = response.TryGetProperty("ok", out var flag) && flag.GetBoolean();
                Record(started, ok ? "ok" : $"error {(response.TryGetProperty("errorCode", out var code) ? code.ToString() : "?")}");
                _completed++;
                if (ok)
                {
                    await Client.NotifyAsync("mediasoup-notification", Requests.Notification("closeTransport", transport));
                }
            }
            catch (Exception exception)
            {
                // A send on a socket whose close frame has arrived fails before the client's receive loop
                // marks it closed: give the close a moment to be noticed before counting a failure.
                if (await ClosesSoonAsync())
                {
                    // The socket closed under the request: counted apart, the test asserts on the close itself.
                    if (sent)
                    {
                        // In the phase it was sent in: the close that cut it may be noticed only later.
                        Record(started, "cut by the socket's close", startedIn);
                    }

                    return;
                }

                Record(started, exception.GetType().Name);
            }

            try
            {
                await Task.Delay(Pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Record(long started, string result, string? phase = null) =>
        Outcomes.Enqueue(new ChaosRequest(phase ?? _phase.Current, result, Stopwatch.GetElapsedTime(started)));
}

/// <summary>A request of a chaos peer: the phase its outcome came in, <c>ok</c> or why not, and how long it took.</summary>
internal sealed record ChaosRequest(string Phase, string Result, TimeSpan Latency);

/// <summary>A socket's close: the phase, the close code (or that the connection dropped without one) and when (Stopwatch ticks).</summary>
internal sealed record ChaosClose(string Phase, string Code, string? Reason, long At);

/// <summary>A <c>peerClosed</c> or <c>closed</c> notification: the phase, the method, the peer named and when (Stopwatch ticks).</summary>
internal sealed record ChaosDeparture(string Phase, string Method, string? PeerName, long At);
