using System.Diagnostics;
using Coordinator.TestSupport;

namespace Coordinator.MediaPlane.Tests;

/// <summary>A real silo process with real workers, killed with SIGKILL: its workers must not outlive it.</summary>
public sealed class SiloProcessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Workers_exit_when_their_silo_is_killed()
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Coordinator.Silo"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                $"--Orleans:SiloPort={FreePort.Next()}",
                $"--Orleans:GatewayPort={FreePort.Next()}",
                $"--Orleans:ClusterId=orphans-{Guid.NewGuid():N}",
                "--MediaWorkers:Count=2",
            },
        };
        using var silo = Process.Start(start)!;
        silo.OutputDataReceived += (_, _) => { };
        silo.ErrorDataReceived += (_, _) => { };
        silo.BeginOutputReadLine();
        silo.BeginErrorReadLine();
        try
        {
            int[] workers = [];
            await Eventually.True(() => (workers = WorkerChildren(silo.Id)).Length == 2, Bound, "the silo to start two mediasoup workers");

            silo.Kill(); // SIGKILL: the silo gets no chance to stop its workers.

            await Eventually.True(() => workers.All(Gone), TimeSpan.FromSeconds(5), "the workers to exit after their silo died");
        }
        finally
        {
            if (!silo.HasExited)
            {
                silo.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Child processes of <paramref name="parent"/> running the mediasoup worker (from /proc).</summary>
    private static int[] WorkerChildren(int parent) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Select(int.Parse!)
            .Where(pid => Stat(pid) is { } stat && stat.ParentPid == parent && stat.Command.StartsWith("mediasoup-work", StringComparison.Ordinal))];

    /// <summary>Exited: no longer in /proc, or a zombie waiting to be reaped by whoever inherited it.</summary>
    private static bool Gone(int pid) => Stat(pid) is not { } stat || stat.State == 'Z';

    private static (string Command, char State, int ParentPid)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var open = text.IndexOf('(');
            var close = text.LastIndexOf(')');
            var rest = text[(close + 2)..].Split(' ');
            return (text[(open + 1)..close], rest[0][0], int.Parse(rest[1]));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
