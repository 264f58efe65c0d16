using System.ComponentModel;
using System.Diagnostics;

namespace Coordinator.Deployment.Tests;

/// <summary>Runs the external validators (docker-compose, the Dockerfile linter) as child processes.</summary>
internal static class Tool
{
    public const string InstallHint = "run scripts/install-test-tools.sh";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public override string ToString() =>
            $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
    }

    /// <summary>The full path of <paramref name="name"/> on PATH; fails the test when it is not there.</summary>
    public static string OnPath(string name)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        return found ?? throw new Xunit.Sdk.XunitException($"{name} is not installed (not on PATH): {InstallHint}.");
    }

    public static async Task<Result> Run(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[key] = value; // null removes the variable from the child's environment
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"cannot start {fileName} ({e.Message}): {InstallHint}.");
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', startInfo.ArgumentList)} did not finish within {Timeout.TotalSeconds} s.");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
