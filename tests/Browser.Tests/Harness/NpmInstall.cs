using System.Security.Cryptography;
using System.Text;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// <c>npm ci</c> in a folder, only when its node_modules is missing or was installed from other
/// inputs (a lockfile, and whatever else the install copies in).
/// </summary>
public static class NpmInstall
{
    // Written after a successful `npm ci`; holds the hash of the inputs it installed from.
    private const string InstallStampFile = ".coordinator-install-stamp";

    public static async Task WhenStaleAsync(string directory, IEnumerable<string> inputs)
    {
        var inputsHash = Hash(directory, inputs);
        var stamp = Path.Combine(directory, "node_modules", InstallStampFile);
        if (File.Exists(stamp) && (await File.ReadAllTextAsync(stamp)).Trim() == inputsHash)
        {
            return;
        }

        // --ignore-scripts: no package installed here needs an install script (the bundles use no
        // native addon; esbuild finds its platform binary without one; the websocket package's optional
        // native speed-ups ship prebuilt binaries and fall back to JavaScript).
        await ExternalCommand.RunCheckedAsync(
            "npm",
            ["ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            TimeSpan.FromMinutes(5),
            directory);
        await File.WriteAllTextAsync(stamp, inputsHash);
    }

    private static string Hash(string directory, IEnumerable<string> inputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in inputs.Where(File.Exists))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(directory, input) + "\n"));
            hash.AppendData(File.ReadAllBytes(input));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
