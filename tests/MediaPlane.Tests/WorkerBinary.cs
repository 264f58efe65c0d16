using Coordinator.Silo.Workers;
using Coordinator.TestSupport;
using Microsoft.Extensions.Logging;

namespace Coordinator.MediaPlane.Tests;

/// <summary>Locates the real worker built by scripts/build-worker.sh and starts workers for tests.</summary>
public static class WorkerBinary
{
    private static int _sequence;

    /// <summary>The binary; a missing one FAILS the test (it is not skipped).</summary>
    public static string Path
    {
        get
        {
            var path = System.IO.Path.Combine(TestData.RepositoryRoot(), WorkerOptions.CachedBinaryRelativePath);
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException(
                    $"The mediasoup 2.6.19 worker binary is missing at {path}. Run scripts/build-worker.sh (from the repository root) first; it takes about a minute.");
        }
    }

    /// <summary>Options for one worker bound to loopback on its own port range.</summary>
    public static WorkerOptions Options(int minPort, int maxPort, Action<WorkerOptions>? configure = null)
    {
        var options = new WorkerOptions
        {
            BinaryPath = Path,
            Count = 1,
            RtcIPv4 = "127.0.0.1",
            RtcIPv6 = "false",
            RtcMinPort = minPort,
            RtcMaxPort = maxPort,
        };
        configure?.Invoke(options);
        return options;
    }

    public static Task<MediaWorker> StartAsync(
        string name, int minPort, int maxPort, ILoggerFactory? loggers = null, Action<WorkerOptions>? configure = null)
    {
        var options = Options(minPort, maxPort, configure);
        var id = $"test-{name}#{Interlocked.Increment(ref _sequence)}";
        return MediaWorker.StartAsync(
            WorkerStartInfo.FromOptions(options, options.BinaryPath!, id, new PortRange(minPort, maxPort)),
            loggers);
    }

    public static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");
}
