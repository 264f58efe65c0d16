namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// Installs the example application server's packages (<c>examples/frontend-node</c>, <c>npm ci</c>)
/// when node_modules is missing or stale. Its <c>.npmrc</c> copies the SDK (<c>clients/node</c>) into
/// node_modules instead of linking it, so "stale" covers the SDK's files as well as the lockfile:
/// a changed SDK is installed again and the test never runs an old copy of it.
/// </summary>
public static class ExampleFrontendInstall
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task EnsureAsync(string exampleDirectory, string sdkDirectory)
    {
        await Gate.WaitAsync();
        try
        {
            await NpmInstall.WhenStaleAsync(exampleDirectory, Inputs(exampleDirectory, sdkDirectory));
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The lockfile and .npmrc of the example, and every file the SDK package ships (see its package.json "files").</summary>
    private static IEnumerable<string> Inputs(string exampleDirectory, string sdkDirectory) =>
    [
        Path.Combine(exampleDirectory, "package-lock.json"),
        Path.Combine(exampleDirectory, ".npmrc"),
        Path.Combine(sdkDirectory, "package.json"),
        Path.Combine(sdkDirectory, "index.js"),
        Path.Combine(sdkDirectory, "index.d.ts"),
        .. Directory.EnumerateFiles(Path.Combine(sdkDirectory, "lib"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal),
    ];
}
