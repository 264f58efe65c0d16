using System.Diagnostics;
using Coordinator.Gateway.Auth;
using Coordinator.TestSupport;
using Xunit.Abstractions;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// <c>scripts/local-cluster.sh</c> as an operator runs it (on free ports, in a folder of its own):
/// it restarts a process that dies, and SIGTERM stops every process it started.
/// </summary>
public sealed class LocalClusterScriptTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly string[] Services = ["redis", "silo1", "silo2", "gateway1", "gateway2"];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"local-cluster-{Guid.NewGuid():N}");
    private readonly int _gateway1Port = FreePort.Next();
    private readonly int _gateway2Port = FreePort.Next();
    private readonly int _gateway1MetricsPort = FreePort.Next();
    private readonly int _gateway2MetricsPort = FreePort.Next();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private NodeProcess _script = null!;

    public Task InitializeAsync()
    {
        // The test's own build is the script's Release build; any other configuration lets the script build.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        _script = NodeProcess.Start(
            "local-cluster.sh",
            "bash",
            [Path.Combine(TestData.RepositoryRoot(), "scripts", "local-cluster.sh")],
            new Dictionary<string, string>
            {
                ["COORDINATOR_SIGNING_KEY"] = TokenKeys.NewSymmetricKey(),
                ["LOCAL_CLUSTER_DIR"] = _folder,
                ["LOCAL_CLUSTER_BUILD"] = configuration == "Release" ? "0" : "1",
                ["REDIS_PORT"] = $"{FreePort.Next()}",
                ["GATEWAY1_PORT"] = $"{_gateway1Port}",
                ["GATEWAY2_PORT"] = $"{_gateway2Port}",
                ["SILO1_PORT"] = $"{FreePort.Next()}",
                ["SILO2_PORT"] = $"{FreePort.Next()}",
                ["SILO1_GATEWAY_PORT"] = $"{FreePort.Next()}",
                ["SILO2_GATEWAY_PORT"] = $"{FreePort.Next()}",
                ["SILO1_METRICS_PORT"] = $"{FreePort.Next()}",
                ["SILO2_METRICS_PORT"] = $"{FreePort.Next()}",
                ["GATEWAY1_METRICS_PORT"] = $"{_gateway1MetricsPort}",
                ["GATEWAY2_METRICS_PORT"] = $"{_gateway2MetricsPort}",
            });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        var leftovers = Services.Select(Pid).OfType<int>().ToList();
        await _script.DisposeAsync();
        foreach (var pid in leftovers.Where(IsRunning))
        {
            Process.GetProcessById(pid).Kill();
        }

        _http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_killed_gateway_is_restarted_and_SIGTERM_stops_everything()
    {
        var started = Stopwatch.StartNew();
        await ReadyAsync(_gateway1Port, StartTimeout);
        await ReadyAsync(_gateway2Port, StartTimeout);
        output.WriteLine($"cluster ready after {started.Elapsed.TotalSeconds:0.0} s");
        // Each gateway serves /metrics on its own operations port, not on its public one.
        foreach (var (port, metricsPort) in new[] { (_gateway1Port, _gateway1MetricsPort), (_gateway2Port, _gateway2MetricsPort) })
        {
            Assert.Contains("coordinator_connections", await _http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics")), StringComparison.Ordinal);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await _http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"))).StatusCode);
        }

        // Redis writes its append-only file (REDIS_PERSIST defaults to on): the silos' membership rows are in it.
        Assert.Contains(
            Directory.EnumerateFiles(Path.Combine(_folder, "redis"), "*.aof", SearchOption.AllDirectories),
            file => new FileInfo(file).Length > 0);

        var killed = Pid("gateway1") ?? throw new InvalidOperationException("no gateway1.pid");
        var killedAt = Stopwatch.StartNew();
        Process.GetProcessById(killed).Kill();

        await WithOutputAsync(Eventually.True(
            () => _script.Output().Contains("gateway1 exited with code 137; restarting in 1 s", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the script to report gateway1's exit"));
        await WithOutputAsync(Eventually.True(() => Pid("gateway1") is { } pid && pid != killed, TimeSpan.FromSeconds(10), "a new gateway1 process"));
        await ReadyAsync(_gateway1Port, TimeSpan.FromSeconds(60));
        output.WriteLine($"gateway1 restarted and ready {killedAt.Elapsed.TotalSeconds:0.0} s after kill -9");

        var running = Services.ToDictionary(service => service, service => Pid(service) ?? throw new InvalidOperationException($"no {service}.pid"));
        Assert.All(running.Values, pid => Assert.True(IsRunning(pid)));
        var stoppedAt = Stopwatch.StartNew();
        using (var term = Process.Start("kill", ["-TERM", $"{_script.Pid}"])!)
        {
            await term.WaitForExitAsync();
        }

        try
        {
            await _script.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}\n{StillRunning(running)}", timeout);
        }

        output.WriteLine($"script stopped {stoppedAt.Elapsed.TotalSeconds:0.0} s after SIGTERM");
        foreach (var (service, pid) in running)
        {
            Assert.False(IsRunning(pid), $"{service} (pid {pid}) still runs after the script stopped");
        }

        // Stopping is not a failure: nothing was restarted on the way out.
        var exits = _script.Output().Split('\n').Where(line => line.Contains("exited with code", StringComparison.Ordinal)).ToList();
        Assert.True(exits.Count == 1, $"expected only gateway1's exit, got:\n{string.Join('\n', exits)}");
    }

    private Task ReadyAsync(int port, TimeSpan timeout) => WithOutputAsync(Eventually.True(
        async () =>
        {
            if (_script.HasExited)
            {
                throw new InvalidOperationException($"local-cluster.sh exited with {_script.ExitCode}:\n{_script.Output()}");
            }

            try
            {
                return (await _http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"))).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        },
        timeout,
        $"the gateway on port {port} to be ready (/health/ready)"));

    /// <summary>A wait that, when it times out, says what the script printed up to then.</summary>
    private async Task WithOutputAsync(Task wait)
    {
        try
        {
            await wait;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; the script said:\n{_script.Output()}", e);
        }
    }

    /// <summary>The current process of a service, from the pid file the script keeps while it runs.</summary>
    /// <summary>The services still running, each with the end of its log: what a slow stop is waiting for.</summary>
    private string StillRunning(Dictionary<string, int> services) => string.Join("\n", services
        .Where(service => IsRunning(service.Value))
        .Select(service =>
        {
            var log = Path.Combine(_folder, $"{service.Key}.log");
            var tail = File.Exists(log) ? string.Join("\n", File.ReadLines(log).TakeLast(40)) : "(no log)";
            return $"==== {service.Key} (pid {service.Value}) still runs; the end of its log:\n{tail}";
        }));

    private int? Pid(string service) =>
        File.Exists(Path.Combine(_folder, $"{service}.pid")) && int.TryParse(File.ReadAllText(Path.Combine(_folder, $"{service}.pid")).Trim(), out var pid)
            ? pid
            : null;

    // A zombie (exited, not yet reaped) counts as stopped.
    private static bool IsRunning(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Trim()[0] != 'Z';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}
