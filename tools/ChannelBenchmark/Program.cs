using System.Diagnostics;
using System.Globalization;
using Coordinator.Silo.Workers;

// Channel round-trip benchmark against one real mediasoup 2.6.19 worker.
//
//   dotnet run -c Release --project tools/ChannelBenchmark -- [--requests N] [--concurrency 1,16,64] [--mode dump|create-close] [--binary PATH]
//   dotnet run -c Release --project tools/ChannelBenchmark -- --mode sequence [--connections 64] [--warmup 20] [--duration 20] [--session FILE]
//
// mode dump:         router.dump of an empty router (one request per operation)
// mode create-close: worker.createRouter + router.close (two sequential requests per operation;
//                    latency is per request)
// mode sequence:     the media-plane half of the load tool's sequence on one worker per core
//                    (MediaSequenceBenchmark): the workers' own ceiling and CPU per sequence
var requests = 50_000;
int[] concurrencies = [1, 4, 16, 64, 256];
var mode = "dump";
string? binary = null;
string? session = null;
var connections = 64;
var warmup = TimeSpan.FromSeconds(20);
var duration = TimeSpan.FromSeconds(20);
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--requests":
            requests = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--concurrency":
            concurrencies = [.. value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
            break;
        case "--mode":
            mode = value is "dump" or "create-close" or "sequence" ? value : throw new ArgumentException("--mode dump|create-close|sequence");
            break;
        case "--binary":
            binary = value;
            break;
        case "--session":
            session = value;
            break;
        case "--connections":
            connections = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--warmup":
            warmup = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
            break;
        case "--duration":
            duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
            break;
        default:
            throw new ArgumentException($"unknown option {args[i]}");
    }

    i++;
}

var options = new WorkerOptions { BinaryPath = binary, RtcMinPort = 47000, RtcMaxPort = 47999 };
binary = options.ResolveBinaryPath(out var searched)
    ?? throw new FileNotFoundException($"mediasoup-worker not found ({string.Join(", ", searched)}): {WorkerOptions.HowToGetBinary}");

if (mode == "sequence")
{
    options.BinaryPath = binary;
    options.RtcMinPort = 40000;
    options.RtcMaxPort = 49999;
    var result = await Coordinator.ChannelBenchmark.MediaSequenceBenchmark.RunAsync(options, session, connections, warmup, duration, Console.Out);
    result.Print(Console.Out);
    return 0;
}

var spawnClock = Stopwatch.StartNew();
await using var worker = await MediaWorker.StartAsync(
    WorkerStartInfo.FromOptions(options, binary, "bench#1", new PortRange(options.RtcMinPort, options.RtcMaxPort)));
Console.WriteLine($"worker {worker.Id} pid {worker.Pid}: StartAsync {spawnClock.Elapsed.TotalMilliseconds:0.0} ms (first reply {worker.StartupTime.TotalMilliseconds:0.0} ms)");
Console.WriteLine($"binary {binary}; {Environment.ProcessorCount} CPUs; .NET {Environment.Version}; mode {mode}; {requests} requests per run");

var channel = worker.Channel;
var routerId = worker.ObjectIds.Next();
await channel.RequestAsync("worker.createRouter", new WorkerInternal(RouterId: routerId));

// Warm-up (JIT, socket buffers).
await RunAsync(Math.Min(requests, 5_000), 16);

Console.WriteLine();
Console.WriteLine("concurrency |  requests/s | p50 (µs) | p99 (µs) | max (µs)");
Console.WriteLine("------------|-------------|----------|----------|---------");
foreach (var concurrency in concurrencies)
{
    var (elapsed, latencies) = await RunAsync(requests, concurrency);
    Array.Sort(latencies);
    Console.WriteLine(
        $"{concurrency,11} | {latencies.Length / elapsed.TotalSeconds,11:N0} | {Micros(Percentile(latencies, 0.50)),8:0.0} | {Micros(Percentile(latencies, 0.99)),8:0.0} | {Micros(latencies[^1]),8:0.0}");
}

// Process figures: warm start (spawn to first reply) and SIGKILL detection, on fresh workers.
var startups = new List<double>();
var detections = new List<double>();
for (var i = 0; i < 10; i++)
{
    var extra = await MediaWorker.StartAsync(
        WorkerStartInfo.FromOptions(options, binary, $"bench#{i + 2}", new PortRange(48000, 48999)));
    startups.Add(extra.StartupTime.TotalMilliseconds);
    var pending = extra.Channel.RequestAsync("worker.dump", null, null, TimeSpan.FromSeconds(5));
    var killed = Stopwatch.GetTimestamp();
    extra.Kill();
    await extra.Terminated;
    detections.Add(Stopwatch.GetElapsedTime(killed).TotalMilliseconds);
    try
    {
        await pending;
    }
    catch (WorkerClosedException)
    {
        // Expected unless the reply won the race.
    }

    await extra.DisposeAsync();
}

startups.Sort();
detections.Sort();
Console.WriteLine();
Console.WriteLine($"warm worker start (spawn -> first reply), 10 runs: median {startups[5]:0.0} ms, min {startups[0]:0.0}, max {startups[^1]:0.0}");
Console.WriteLine($"SIGKILL -> Terminated, 10 runs: median {detections[5]:0.00} ms, max {detections[^1]:0.00}");
return 0;

async Task<(TimeSpan Elapsed, long[] Latencies)> RunAsync(int total, int concurrency)
{
    var latencies = new long[total];
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        while (true)
        {
            var slot = Interlocked.Increment(ref next);
            if (slot >= total)
            {
                return;
            }

            var started = Stopwatch.GetTimestamp();
            if (mode == "dump")
            {
                await channel.RequestAsync("router.dump", new WorkerInternal(RouterId: routerId));
                latencies[slot] = Stopwatch.GetTimestamp() - started;
            }
            else
            {
                var id = worker.ObjectIds.Next();
                await channel.RequestAsync("worker.createRouter", new WorkerInternal(RouterId: id));
                latencies[slot] = Stopwatch.GetTimestamp() - started;
                slot = Interlocked.Increment(ref next);
                started = Stopwatch.GetTimestamp();
                await channel.RequestAsync("router.close", new WorkerInternal(RouterId: id));
                worker.ObjectIds.Release(id);
                if (slot < total)
                {
                    latencies[slot] = Stopwatch.GetTimestamp() - started;
                }
            }
        }
    })));
    return (clock.Elapsed, latencies);
}

static long Percentile(long[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
