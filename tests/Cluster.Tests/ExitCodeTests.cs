using System.Diagnostics;
using Coordinator.TestSupport;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// A node asked to stop (SIGTERM, as Docker and systemd ask) exits with 0. Any other stop exits
/// non-zero (70, or 75 from the membership guard), so that a supervisor restarts it.
/// </summary>
public sealed class ExitCodeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_node_stopped_by_sigterm_exits_with_zero()
    {
        var port = FreePort.Next();
        await using var node = NodeProcess.Start(
            "node",
            LocalCluster.Executable("Coordinator.Gateway"),
            [],
            new Dictionary<string, string>
            {
                ["Gateway__DevelopmentMode"] = "true",
                ["Gateway__ListenAddress"] = "127.0.0.1",
                ["Gateway__Port"] = $"{port}",
                ["Gateway__Operations__Port"] = $"{FreePort.Next()}",
                ["Orleans__SiloPort"] = $"{FreePort.Next()}",
                ["Orleans__GatewayPort"] = $"{FreePort.Next()}",
                ["Logging__LogLevel__Default"] = "Warning",
            });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.True(
            async () =>
            {
                try
                {
                    return (await http.GetAsync("/health/ready")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            Bound,
            "the node to be ready");

        using (var kill = Process.Start("kill", ["-TERM", $"{node.Pid}"])!)
        {
            await kill.WaitForExitAsync();
        }

        await node.WaitForExitAsync(Bound);
        Assert.True(node.ExitCode == 0, $"exit code {node.ExitCode}\n{node.Output()}");
    }
}
