using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Coordinator.TestSupport;

namespace Coordinator.LoadTool.Tests;

/// <summary>
/// The mediasoup v2 reference server of <c>tools/reference-server</c>, installed (cached after the first
/// run) and started on a free port for the tests of this class. An install or start that fails throws,
/// so every test of the class fails with the script's output: a missing reference server is a failure,
/// never a skip.
/// </summary>
public sealed partial class ReferenceServer : IAsyncLifetime
{
    /// <summary>The install compiles the worker only when scripts/build-worker.sh cannot provide it.</summary>
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The Node.js process's id (the load tool's <c>--server-pid</c>).</summary>
    public int Pid { get; private set; }

    public IReadOnlyList<int> WorkerPids { get; private set; } = [];

    /// <summary>What the install and the server wrote, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var folder = Path.Combine(TestData.RepositoryRoot(), "tools", "reference-server");
        await InstallAsync(folder);
        await StartAsync(folder);
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // The whole tree: the server and its workers (they would also exit when their channel closes).
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private async Task InstallAsync(string folder)
    {
        using var install = Process.Start(Arguments("bash", Path.Combine(folder, "install.sh")))
            ?? throw new InvalidOperationException("could not start bash for tools/reference-server/install.sh");
        Capture(install, "install");
        using var timeout = new CancellationTokenSource(InstallTimeout);
        try
        {
            await install.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            install.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"tools/reference-server/install.sh did not finish within {InstallTimeout.TotalMinutes} minutes:\n{Output}");
        }

        // The asynchronous readers have seen the end of both streams once this returns.
        await install.WaitForExitAsync();
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"tools/reference-server/install.sh failed (exit {install.ExitCode}):\n{Output}");
        }
    }

    private async Task StartAsync(string folder)
    {
        // A port range of its own for the worker's ICE/RTP sockets, away from the embedded node's
        // (20000-29999), from a reference server a developer may be running (10000-19999), from the
        // Orleans gateway ports of test clusters (30000 and a little up) and from the ephemeral ports
        // the load tool's sockets take (32768 and up). The worker gives up on a transport after 20
        // ports in a row that are taken.
        var start = Arguments("node", Path.Combine(folder, "server.js"), "--port", "0", "--rtc-min-port", "12000", "--rtc-max-port", "12999");
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Append("server", line);
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    ready.TrySetResult(line);
                }
            }
        };
        _process.ErrorDataReceived += (_, e) => Append("server", e.Data);
        _process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"tools/reference-server/server.js exited before it was ready:\n{Output}"));
        try
        {
            _process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"could not start node (is Node.js installed?): {exception.Message}", exception);
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        string line;
        try
        {
            line = await ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"tools/reference-server/server.js printed no READY line within {StartTimeout.TotalSeconds} s:\n{Output}");
        }

        var match = ReadyLine().Match(line);
        if (!match.Success)
        {
            throw new InvalidOperationException($"unexpected ready line \"{line}\"");
        }

        BaseUri = new Uri($"ws://127.0.0.1:{match.Groups["port"].Value}");
        Pid = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture);
        WorkerPids = match.Groups["workers"].Value.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
    }

    private static ProcessStartInfo Arguments(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private void Capture(Process process, string source)
    {
        process.OutputDataReceived += (_, e) => Append(source, e.Data);
        process.ErrorDataReceived += (_, e) => Append(source, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Append(string source, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append(source).Append(": ").AppendLine(line);
        }
    }

    [GeneratedRegex(@"^READY port=(?<port>\d+) pid=(?<pid>\d+) worker-pids=(?<workers>\d+(,\d+)*)$")]
    private static partial Regex ReadyLine();
}
