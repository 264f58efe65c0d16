namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// The npm project in <c>web/</c>: installs the pinned packages (<c>npm ci</c>) when node_modules is
/// missing or was installed from another lockfile, then bundles the test page with esbuild.
/// </summary>
public sealed class WebBundle(string directory)
{
    public string Directory { get; } = directory;

    public string DriverScript => Path.Combine(Directory, "driver.mjs");

    public async Task PrepareAsync()
    {
        await InstallWhenStaleAsync();

        // Always rebuild: esbuild takes well under a second, and a stale bundle would test old code.
        await ExternalCommand.RunCheckedAsync("npm", ["run", "--silent", "build"], TimeSpan.FromMinutes(2), Directory);
    }

    private Task InstallWhenStaleAsync() => NpmInstall.WhenStaleAsync(Directory, [Path.Combine(Directory, "package-lock.json")]);
}
