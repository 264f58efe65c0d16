using System.Diagnostics;
using System.Text.RegularExpressions;
using Coordinator.TestSupport;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// The example application server (<c>examples/frontend-node/server.js</c>, a Node process we start
/// and own): browsers speak protoo to it, and it relays their mediasoup messages to Coordinator
/// through one frontend connection. Started on a free port; ready once it prints its READY line
/// (listening and connected to Coordinator). Disposing sends it SIGTERM (its peers leave their
/// rooms) and kills it only if it does not exit in time.
/// </summary>
public sealed partial class ExampleFrontend : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly ITestOutputHelper _output;
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _recentOutput = new();
    private readonly string _coordinatorUrl;

    private ExampleFrontend(Process process, string coordinatorUrl, ITestOutputHelper output)
    {
        _process = process;
        _coordinatorUrl = coordinatorUrl;
        _output = output;
    }

    /// <summary><c>ws://127.0.0.1:PORT</c>: browsers connect to <c>/?roomId=R&amp;peerName=P</c> below it.</summary>
    public Uri BrowserUri { get; private set; } = null!;

    public int ProcessId => _process.Id;

    /// <summary>Installs the example's packages when needed, starts it against the node at <paramref name="gatewayUri"/> and waits for READY.</summary>
    public static async Task<ExampleFrontend> StartAsync(Uri gatewayUri, ITestOutputHelper output)
    {
        var repositoryRoot = TestData.RepositoryRoot();
        var directory = Path.Combine(repositoryRoot, "examples", "frontend-node");
        await ExampleFrontendInstall.EnsureAsync(directory, Path.Combine(repositoryRoot, "clients", "node"));

        var coordinatorUrl = new Uri(gatewayUri, "/frontend").ToString();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add("server.js");
        start.Environment["PORT"] = "0";
        start.Environment["COORDINATOR_URL"] = coordinatorUrl;

        // The embedded node is in development mode: a loopback frontend needs no token.
        start.Environment.Remove("COORDINATOR_TOKEN");

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node server.js");
        var frontend = new ExampleFrontend(process, coordinatorUrl, output);
        _ = frontend.ReadStandardOutputAsync();
        _ = frontend.ReadStandardErrorAsync();
        try
        {
            var port = await frontend._ready.Task.WaitAsync(ReadyTimeout);
            frontend.BrowserUri = new Uri($"ws://127.0.0.1:{port}");
            frontend.Log($"[example] pid {process.Id} ready: browsers at {frontend.BrowserUri}, Coordinator at {coordinatorUrl}");
            return frontend;
        }
        catch (Exception error)
        {
            var recent = frontend.RecentOutput();
            await frontend.DisposeAsync();
            throw new InvalidOperationException(
                $"the example frontend did not print READY within {ReadyTimeout.TotalSeconds:0} s ({error.Message})\n{recent}", error);
        }
    }

    private async Task ReadStandardOutputAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            Log($"[example] {line}");
            if (ReadyLine().Match(line) is { Success: true } ready)
            {
                if (ready.Groups["coordinator"].Value != _coordinatorUrl)
                {
                    _ready.TrySetException(new InvalidOperationException(
                        $"it reports Coordinator at {ready.Groups["coordinator"].Value}, not at {_coordinatorUrl}"));
                }

                _ready.TrySetResult(int.Parse(ready.Groups["port"].Value));
            }
        }

        _ready.TrySetException(new InvalidOperationException("the process exited before READY"));
    }

    private async Task ReadStandardErrorAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            Log($"[example stderr] {line}");
        }
    }

    private void Log(string line)
    {
        lock (_recentOutput)
        {
            _recentOutput.Enqueue(line);
            if (_recentOutput.Count > 40)
            {
                _recentOutput.Dequeue();
            }
        }

        try
        {
            _output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test already finished (output during teardown).
        }
    }

    private string RecentOutput()
    {
        lock (_recentOutput)
        {
            return "recent output of the example frontend:\n" + string.Join('\n', _recentOutput);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited && ProcessSignal.Terminate(_process.Id))
            {
                using var deadline = new CancellationTokenSource(StopTimeout);
                await _process.WaitForExitAsync(deadline.Token);
                Log($"[example] pid {_process.Id} exited with code {_process.ExitCode} after SIGTERM");
            }
        }
        catch (OperationCanceledException)
        {
            Log($"[example] pid {_process.Id} did not exit within {StopTimeout.TotalSeconds:0} s of SIGTERM; killing it");
        }
        finally
        {
            if (!_process.HasExited)
            {
                // Only the process we started.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }

    [GeneratedRegex(@"^READY port=(?<port>\d+) coordinator=(?<coordinator>\S+)$")]
    private static partial Regex ReadyLine();
}
