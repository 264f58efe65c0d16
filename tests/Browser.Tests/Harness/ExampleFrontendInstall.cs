using System.Security.Cryptography;
using System.Text;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// Installs the example application server's packages (<c>examples/frontend-node</c>, <c>npm ci</c>)
/// when node_modules is missing or stale. Its <c>.npmrc</c> copies the SDK (<c>clients/node</c>) into
/// node_modules instead of linking it, so "stale" covers the SDK's files as well as the lockfile:
/// a changed SDK is installed again and the test never runs an old copy of it.
/// </summary>
public static class ExampleFrontendInstall
{
    // Written after a successful `npm ci`; holds the hash of the inputs it installed.
    private const string InstallStampFile = ".coordinator-install-stamp";

    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task EnsureAsync(string exampleDirectory, string sdkDirectory)
    {
        await Gate.WaitAsync();
        try
        {
            var inputsHash = HashInputs(exampleDirectory, sdkDirectory);
            var stamp = Path.Combine(exampleDirectory, "node_modules", InstallStampFile);
            if (File.Exists(stamp) && (await File.ReadAllTextAsync(stamp)).Trim() == inputsHash)
            {
                return;
            }

            // --ignore-scripts: the only install scripts are the optional native speed-ups of the
            // websocket package (bufferutil, utf-8-validate), which ship prebuilt binaries and fall back
            // to JavaScript; nothing needs compiling.
            await ExternalCommand.RunCheckedAsync(
                "npm",
                ["ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                TimeSpan.FromMinutes(5),
                exampleDirectory);
            await File.WriteAllTextAsync(stamp, inputsHash);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The lockfile and .npmrc of the example, and every file the SDK package ships (see its package.json "files").</summary>
    private static string HashInputs(string exampleDirectory, string sdkDirectory)
    {
        var inputs = new List<string>
        {
            Path.Combine(exampleDirectory, "package-lock.json"),
            Path.Combine(exampleDirectory, ".npmrc"),
            Path.Combine(sdkDirectory, "package.json"),
            Path.Combine(sdkDirectory, "index.js"),
            Path.Combine(sdkDirectory, "index.d.ts"),
        };
        inputs.AddRange(Directory.EnumerateFiles(Path.Combine(sdkDirectory, "lib"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in inputs.Where(File.Exists))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(sdkDirectory, input) + "\n"));
            hash.AppendData(File.ReadAllBytes(input));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
