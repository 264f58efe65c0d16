using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Coordinator.Tools.Protoo;

// Measures, at a real receiving socket, the time from sending `join` on one socket to receiving
// the resulting `newPeer` notification on another: the Room's work, the hand-over to the Peer
// grain, the stream and the gateway's write. Usage:
//   dotnet run -c Release --project tools/NotificationLatency -- [--url ws://127.0.0.1:4443] [--joins 500] [--warmup 50]
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0].TrimStart('-'), pair => pair[1]);
var url = new Uri(options.GetValueOrDefault("url", "ws://127.0.0.1:4443"));
var joins = int.Parse(options.GetValueOrDefault("joins", "500"));
var warmup = int.Parse(options.GetValueOrDefault("warmup", "50"));
var room = $"latency-{Guid.NewGuid():N}";

var arrivals = new ConcurrentDictionary<string, long>();
await using var receiver = await ProtooClient.ConnectAsync(url, room, "receiver");
receiver.FrameReceived += (frame, timestamp) =>
{
    if (ProtooClient.IsNotification(frame) && frame.GetProperty("data") is var data
        && data.GetProperty("method").GetString() == "newPeer")
    {
        arrivals[data.GetProperty("name").GetString()!] = timestamp;
    }
};

var query = await receiver.QueryRoomAsync();
var capabilities = query.GetProperty("data").GetProperty("rtpCapabilities");
EnsureOk(await receiver.JoinAsync(capabilities), "receiver join");

var samples = new List<double>(joins);
for (var i = 0; i < warmup + joins; i++)
{
    var name = $"joiner-{i}";
    await using var joiner = await ProtooClient.ConnectAsync(url, room, name);
    var sent = Stopwatch.GetTimestamp();
    EnsureOk(await joiner.JoinAsync(capabilities), name);
    var deadline = DateTime.UtcNow.AddSeconds(10);
    long arrived;
    while (!arrivals.TryGetValue(name, out arrived))
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"newPeer({name}) never reached the receiver");
        }

        await Task.Delay(1);
    }

    if (i >= warmup)
    {
        samples.Add(Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds);
    }
}

samples.Sort();
double Percentile(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
Console.WriteLine($"join → newPeer at a receiving socket, {samples.Count} joins (after {warmup} warm-up) against {url}:");
Console.WriteLine($"  p50 {Percentile(0.50):0.00} ms   p90 {Percentile(0.90):0.00} ms   p99 {Percentile(0.99):0.00} ms   max {samples[^1]:0.00} ms");

static void EnsureOk(JsonElement response, string what)
{
    if (!response.TryGetProperty("ok", out var ok) || !ok.GetBoolean())
    {
        throw new InvalidOperationException($"{what} failed: {response}");
    }
}
