using Coordinator.Silo.Workers;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// Makes sure the machine has what the browser tests need: Node.js, Debian's Chromium (installed on
/// demand when running as root; browsers cannot be downloaded by npm here) and the mediasoup worker.
/// </summary>
public static class Prerequisites
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    /// <summary>playwright-core 1.x requires Node.js 20 or newer.</summary>
    private const int MinimumNodeMajorVersion = 20;

    public static async Task EnsureNodeAsync()
    {
        var result = await ExternalCommand.RunAsync("node", ["--version"], TimeSpan.FromSeconds(30));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Node.js {MinimumNodeMajorVersion}+ (with npm) is required for the browser tests and was not found on PATH: {result.Output.Trim()}");
        }

        var version = result.Output.Trim().TrimStart('v');
        if (!int.TryParse(version.Split('.')[0], out var major) || major < MinimumNodeMajorVersion)
        {
            throw new InvalidOperationException(
                $"Node.js {MinimumNodeMajorVersion}+ is required for the browser tests (playwright-core); found {version}.");
        }
    }

    /// <summary>Returns the path of Debian's <c>chromium</c>, installing the package when it is missing and we are root.</summary>
    public static async Task<string> EnsureChromiumAsync()
    {
        var found = await FindChromiumAsync();
        if (found is not null)
        {
            return found;
        }

        if (!await IsRootAsync())
        {
            throw new InvalidOperationException(
                "Chromium is not installed and the tests are not running as root, so they cannot install it. "
                + "Install Debian's package first: sudo apt-get update && sudo apt-get install -y chromium");
        }

        await ExternalCommand.RunCheckedAsync(
            "bash",
            ["-c", "apt-get update && apt-get install -y chromium"],
            InstallTimeout,
            environment: new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });

        return await FindChromiumAsync()
            ?? throw new InvalidOperationException("apt-get installed chromium, but `command -v chromium` still finds nothing.");
    }

    /// <summary>
    /// The node's rooms run on real mediasoup workers: build the cached worker binary once when no
    /// binary can be found (scripts/build-worker.sh, about two minutes, idempotent).
    /// </summary>
    public static async Task EnsureMediaWorkerAsync(string repositoryRoot)
    {
        if (new WorkerOptions().ResolveBinaryPath(out _) is not null)
        {
            return;
        }

        await ExternalCommand.RunCheckedAsync(
            "bash",
            [Path.Combine(repositoryRoot, "scripts", "build-worker.sh")],
            InstallTimeout,
            repositoryRoot);
    }

    private static async Task<string?> FindChromiumAsync()
    {
        var result = await ExternalCommand.RunAsync("bash", ["-c", "command -v chromium"], TimeSpan.FromSeconds(30));
        var path = result.Output.Trim();
        return result.Succeeded && path.Length > 0 ? path : null;
    }

    private static async Task<bool> IsRootAsync()
    {
        var result = await ExternalCommand.RunAsync("id", ["-u"], TimeSpan.FromSeconds(30));
        return result.Succeeded && result.Output.Trim() == "0";
    }
}
