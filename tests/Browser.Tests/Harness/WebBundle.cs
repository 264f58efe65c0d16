using System.Security.Cryptography;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// The npm project in <c>web/</c>: installs the pinned packages (<c>npm ci</c>) when node_modules is
/// missing or was installed from another lockfile, then bundles the test page with esbuild.
/// </summary>
public sealed class WebBundle(string directory)
{
    // Written after a successful `npm ci`; holds the hash of the lockfile it installed.
    private const string InstallStampFile = ".coordinator-install-stamp";

    public string Directory { get; } = directory;

    public string DriverScript => Path.Combine(Directory, "driver.mjs");

    public async Task PrepareAsync()
    {
        await InstallWhenStaleAsync();

        // Always rebuild: esbuild takes well under a second, and a stale bundle would test old code.
        await ExternalCommand.RunCheckedAsync("npm", ["run", "--silent", "build"], TimeSpan.FromMinutes(2), Directory);
    }

    private async Task InstallWhenStaleAsync()
    {
        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Directory, "package-lock.json"))));
        var stamp = Path.Combine(Directory, "node_modules", InstallStampFile);
        if (File.Exists(stamp) && (await File.ReadAllTextAsync(stamp)).Trim() == lockHash)
        {
            return;
        }

        // --ignore-scripts: nothing in the lockfile needs an install script (the browser bundle uses no
        // native addon; esbuild finds its platform binary without one), and npm 11 skips them anyway.
        await ExternalCommand.RunCheckedAsync(
            "npm",
            ["ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            TimeSpan.FromMinutes(5),
            Directory);
        await File.WriteAllTextAsync(stamp, lockHash);
    }
}
