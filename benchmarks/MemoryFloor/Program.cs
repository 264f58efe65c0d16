using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using Coordinator.Grains.Interfaces;
using Coordinator.MemoryFloor;
using Coordinator.Silo.Hosting;
using Coordinator.Tools.LoadTest;
using Orleans.Runtime;
using Orleans.Streams;

// The memory floor of an idle peer: what the parts the architecture prescribes cost per connected,
// idle peer with none of Coordinator's own state, measured like the load tool's idle mode.
//
//   dotnet benchmarks/MemoryFloor/bin/Release/net10.0/Coordinator.MemoryFloor.dll server [--up-to socket|grain|stream] [--port 4460] &
//   dotnet benchmarks/MemoryFloor/bin/Release/net10.0/Coordinator.MemoryFloor.dll client --server-pid $! [--connections 5000] [--port 4460] [--idle 20]
//
// Each connection gets the parts up to the one named (default: all three):
// socket: an ASP.NET Core (Kestrel) WebSocket with the protoo sub-protocol, waiting with a
//         zero-byte receive as the gateway does;
// grain:  one grain activation (an empty grain: less than a Peer grain holds);
// stream: one item published by the grain on the gateway's notification stream (Coordinator's
//         stream provider and settings; the gateway subscribed once, at start) and received.
var mode = args.FirstOrDefault() ?? throw new ArgumentException("server | client");
string[] levels = ["socket", "grain", "stream"];
var upTo = levels.Length - 1;
var port = 4460;
var connections = 5000;
var idle = TimeSpan.FromSeconds(20);
int? serverPid = null;
for (var i = 1; i < args.Length; i += 2)
{
    var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--up-to":
            upTo = Array.IndexOf(levels, value) is >= 0 and var level ? level : throw new ArgumentException("--up-to socket|grain|stream");
            break;
        case "--port":
            port = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--connections":
            connections = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        case "--idle":
            idle = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
            break;
        case "--server-pid":
            serverPid = int.Parse(value, CultureInfo.InvariantCulture);
            break;
        default:
            throw new ArgumentException($"unknown option {args[i]}");
    }
}

return mode switch
{
    "server" => await ServeAsync(),
    "client" => await MeasureAsync(),
    _ => throw new ArgumentException("server | client"),
};

async Task<int> ServeAsync()
{
    var builder = WebApplication.CreateBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port));
    builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort: 11171, gatewayPort: 30071).AddCoordinatorGrains(builder.Configuration));
    var app = builder.Build();
    app.UseWebSockets();
    var sequence = 0;
    var arrivals = new System.Collections.Concurrent.ConcurrentDictionary<Guid, TaskCompletionSource>();
    app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<IClusterClient>()
        .GetStreamProvider(GrainKeys.NotificationStreamProvider)
        .GetStream<SessionStreamItem>(StreamId.Create(GrainKeys.NotificationStreamNamespace, FloorStream.Key))
        .SubscribeAsync((item, _) =>
        {
            if (arrivals.TryRemove(item.SessionId, out var arrived))
            {
                arrived.TrySetResult();
            }

            return Task.CompletedTask;
        }).GetAwaiter().GetResult());
    app.Map("/", async (HttpContext context, IGrainFactory grains) =>
    {
        var key = $"floor-{Interlocked.Increment(ref sequence)}";
        using var socket = await context.WebSockets.AcceptWebSocketAsync("protoo");
        if (upTo >= 2)
        {
            var session = Guid.NewGuid();
            var arrived = arrivals.GetOrAdd(session, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await grains.GetGrain<IIdleGrain>(key).TouchAsync(session);
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        else if (upTo == 1)
        {
            await grains.GetGrain<IIdleGrain>(key).TouchAsync(null);
        }

        await socket.SendAsync("ready"u8.ToArray(), WebSocketMessageType.Text, true, context.RequestAborted);
        try
        {
            // The client only ever aborts: wait as the gateway waits, without a buffer.
            await socket.ReceiveAsync(Memory<byte>.Empty, context.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    });
    await app.RunAsync();
    return 0;
}

async Task<int> MeasureAsync()
{
    var pid = serverPid ?? throw new ArgumentException("--server-pid is required");
    var baseline = ProcessMemory.Sample(pid) ?? throw new InvalidOperationException($"no process {pid}");
    var sockets = new List<ClientWebSocket>(connections);
    var clock = Stopwatch.StartNew();
    using var gate = new SemaphoreSlim(64);
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
    {
        await gate.WaitAsync();
        try
        {
            var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol("protoo");
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/"), CancellationToken.None);
            var ready = new byte[16];
            await socket.ReceiveAsync(ready, CancellationToken.None);
            lock (sockets)
            {
                sockets.Add(socket);
            }
        }
        finally
        {
            gate.Release();
        }
    }));
    Console.WriteLine($"{connections:N0} connections ready in {clock.Elapsed.TotalSeconds:0.0} s; idle {idle.TotalSeconds:0} s");
    await Task.Delay(idle);
    var loaded = ProcessMemory.Sample(pid) ?? throw new InvalidOperationException($"process {pid} is gone");
    Console.WriteLine($"VmRSS {baseline.RssKiB:N0} -> {loaded.RssKiB:N0} KiB, RssAnon {baseline.RssAnonKiB:N0} -> {loaded.RssAnonKiB:N0} KiB");
    Console.WriteLine(
        $"per idle connection: {(loaded.RssKiB - baseline.RssKiB) / (double)connections:0.00} KiB (VmRSS), "
        + $"{(loaded.RssAnonKiB - baseline.RssAnonKiB) / (double)connections:0.00} KiB (RssAnon)");
    foreach (var socket in sockets)
    {
        socket.Abort();
        socket.Dispose();
    }

    return 0;
}
