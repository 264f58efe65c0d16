using System.Diagnostics;
using Coordinator.Silo.Workers;
using Coordinator.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;
using Xunit.Abstractions;

namespace Coordinator.MediaPlane.Tests;

/// <summary>The silo's worker pool: startup, placement, supervision, shutdown.</summary>
public sealed class WorkerPoolTests(ITestOutputHelper output)
{
    private readonly TestLoggerFactory _loggers = new(output);

    [Fact]
    public async Task Pool_replaces_a_dead_worker_and_reports_the_death()
    {
        await using var pool = NewPool(2, 43000, 43999);
        await pool.StartAsync(CancellationToken.None);
        Assert.Equal(2, pool.Workers.Count);
        var victim = pool.Workers[0];
        var survivor = pool.Workers[1];
        var died = new TaskCompletionSource<WorkerDiedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<MediaWorker>(TaskCreationOptions.RunContinuationsAsynchronously);
        pool.WorkerDied += (_, e) => died.TrySetResult(e);
        pool.WorkerStarted += (_, w) => started.TrySetResult(w);

        var clock = Stopwatch.StartNew();
        victim.Kill();
        var death = await Eventually.Within(died.Task, TimeSpan.FromSeconds(1), "WorkerDied");
        var detectedAfter = clock.Elapsed;
        var replacement = await Eventually.Within(started.Task, TimeSpan.FromSeconds(5), "a replacement worker");
        output.WriteLine($"WorkerDied after {detectedAfter.TotalMilliseconds:0.0} ms ({death.Reason}); replacement {replacement} ready after {clock.Elapsed.TotalMilliseconds:0.0} ms");

        Assert.Same(victim, death.Worker);
        Assert.Contains("SIGKILL", death.Reason, StringComparison.Ordinal);
        Assert.NotEqual(victim.Pid, replacement.Pid);
        Assert.Equal(victim.Ports, replacement.Ports);
        Assert.NotEqual(victim.Id, replacement.Id);
        Assert.Equal(2, pool.Workers.Count);
        Assert.Contains(survivor, pool.Workers);
        Assert.Contains(replacement, pool.Workers);

        var dump = await replacement.Channel.RequestAsync("worker.dump");
        Assert.Equal(replacement.Id, dump.GetProperty("workerId").GetString());

        var pids = pool.Workers.Select(w => w.Pid).ToArray();
        await pool.StopAsync(CancellationToken.None);
        Assert.All(pids, pid => Assert.False(WorkerBinary.ProcessExists(pid), $"/proc/{pid} still exists"));
        Assert.Empty(pool.Workers);
    }

    [Fact]
    public async Task Routers_go_to_the_least_loaded_worker_round_robin_on_ties()
    {
        await using var pool = NewPool(3, 44000, 44999);
        await pool.StartAsync(CancellationToken.None);

        var leases = Enumerable.Range(0, 6).Select(_ => pool.AcquireForRouter()).ToList();
        Assert.All(pool.Workers, w => Assert.Equal(2, w.RouterCount));
        Assert.Equal(3, leases.Take(3).Select(l => l.Worker).Distinct().Count());

        var emptied = leases[0].Worker;
        foreach (var lease in leases.Where(l => l.Worker == emptied))
        {
            lease.Dispose();
        }

        Assert.Equal(0, emptied.RouterCount);
        Assert.Same(emptied, pool.AcquireForRouter().Worker);
        Assert.Same(emptied, pool.AcquireForRouter().Worker);
    }

    [Fact]
    public async Task Pool_startup_fails_clearly_when_the_binary_is_missing()
    {
        await using var pool = new WorkerPool(
            Options.Create(new WorkerOptions { BinaryPath = "/nonexistent/mediasoup-worker", Count = 1 }), _loggers);
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => pool.StartAsync(CancellationToken.None));
        output.WriteLine(error.Message);
        Assert.Contains("binary not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/mediasoup-worker", error.Message, StringComparison.Ordinal);
        Assert.Contains("run scripts/build-worker.sh, or set MediaWorkers:BinaryPath", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => pool.AcquireForRouter());
    }

    [Fact]
    public async Task Pool_startup_fails_when_a_worker_fails_and_leaves_no_worker_running()
    {
        await using var pool = NewPool(2, 45000, 45999, o => o.RtcAnnouncedIPv4 = "x y");
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => pool.StartAsync(CancellationToken.None));
        Assert.Contains("whitespace", error.Message, StringComparison.Ordinal);

        await using var failing = new WorkerPool(
            Options.Create(WorkerBinary.Options(45000, 45999, o =>
            {
                o.Count = 2;
                o.RtcIPv4 = "10.255.255.1";
            })),
            _loggers);
        var startFailure = await Assert.ThrowsAsync<WorkerStartException>(() => failing.StartAsync(CancellationToken.None));
        output.WriteLine(startFailure.Message);
        Assert.Contains("cannot bind on '10.255.255.1'", startFailure.Message, StringComparison.Ordinal);
        Assert.Empty(failing.Workers);
    }

    [Fact]
    public async Task Host_starts_and_stops_the_pool_from_configuration()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaWorkers:BinaryPath"] = WorkerBinary.Path,
            ["MediaWorkers:Count"] = "2",
            ["MediaWorkers:RtcMinPort"] = "46000",
            ["MediaWorkers:RtcMaxPort"] = "46999",
            ["MediaWorkers:LogTags:0"] = "info",
            ["MediaWorkers:RequestTimeout"] = "00:00:03",
        });
        builder.Services.AddMediaWorkers(builder.Configuration.GetSection(WorkerOptions.SectionName));
        using var host = builder.Build();

        await host.StartAsync();
        var pool = host.Services.GetRequiredService<WorkerPool>();
        var options = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(3), options.RequestTimeout);
        Assert.Equal(["info"], options.LogTags);
        Assert.Equal(2, pool.Workers.Count);
        Assert.Equal(
            [new PortRange(46000, 46499), new PortRange(46500, 46997)],
            pool.Workers.Select(w => w.Ports!.Value).OrderBy(r => r.Min));
        var pids = pool.Workers.Select(w => w.Pid).ToArray();

        await host.StopAsync();
        Assert.All(pids, pid => Assert.False(WorkerBinary.ProcessExists(pid)));
    }

    private WorkerPool NewPool(int count, int minPort, int maxPort, Action<WorkerOptions>? configure = null) =>
        new(Options.Create(WorkerBinary.Options(minPort, maxPort, o =>
        {
            o.Count = count;
            configure?.Invoke(o);
        })), _loggers);
}
