using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Coordinator.Silo.Workers.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Silo.Workers;

/// <summary>
/// One running mediasoup worker process and its control channel.
/// <list type="bullet">
/// <item><see cref="StartAsync"/> spawns it (docs/worker-channel.md#spawning-with-fd-3), drains its stdout/stderr into the
/// logger and sends a first <c>worker.dump</c>; if the process dies before answering, start fails
/// with what the worker printed.</item>
/// <item><see cref="Terminated"/> completes as soon as the process exits or the channel reaches
/// EOF, whichever is first (both happen within milliseconds of a crash or SIGKILL).</item>
/// <item><see cref="StopAsync"/> sends SIGTERM, waits <see cref="WorkerStartInfo.StopTimeout"/>, then SIGKILL.</item>
/// </list>
/// </summary>
public sealed class MediaWorker : IAsyncDisposable
{
    private const string RemoteCloseLine = "Channel remotely closed, killing myself";

    private readonly ChildProcess _child;
    private readonly ILogger _logger;
    private readonly RecentLines _problems;
    private readonly Task _stdoutDrain;
    private readonly Task _stderrDrain;
    private readonly Task<string> _terminated;
    private readonly TimeSpan _stopTimeout;
    private int _stopping;
    private int _routerCount;

    private MediaWorker(WorkerStartInfo startInfo, ChildProcess child, Socket channel, Socket stdout, Socket stderr, ILogger logger)
    {
        Id = startInfo.WorkerId;
        Ports = startInfo.Ports;
        _child = child;
        _logger = logger;
        _stopTimeout = startInfo.StopTimeout;
        _problems = new RecentLines();
        Channel = new WorkerChannel(Id, channel, startInfo.RequestTimeout, logger, _problems);
        _stdoutDrain = Task.Run(() => DrainAsync(stdout, isStderr: false));
        _stderrDrain = Task.Run(() => DrainAsync(stderr, isStderr: true));
        _terminated = WatchAsync();
    }

    /// <summary>The worker id (argv[1]); appears in its log lines as <c>[id:…]</c>.</summary>
    public string Id { get; }

    public int Pid => _child.Pid;

    public WorkerChannel Channel { get; }

    /// <summary>Ids for this worker's routers, transports, producers and consumers.</summary>
    public WorkerObjectIds ObjectIds { get; } = new();

    public PortRange? Ports { get; }

    /// <summary>How long the first <c>worker.dump</c> took to come back after the spawn.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Completes when the process has exited (and was reaped).</summary>
    public Task<WorkerExitStatus> Exited => _child.Exited;

    /// <summary>
    /// Completes, with a description, as soon as the worker is gone: process exit or channel EOF,
    /// whichever comes first. All its routers and their objects are gone with it.
    /// </summary>
    public Task<string> Terminated => _terminated;

    /// <summary>True until the worker terminates or is being stopped.</summary>
    public bool IsAlive => !_terminated.IsCompleted && !Channel.IsClosed && !IsStopping;

    /// <summary>True once <see cref="StopAsync"/> was called: a termination is then expected.</summary>
    public bool IsStopping => Volatile.Read(ref _stopping) != 0;

    /// <summary>Routers currently placed on this worker by <see cref="WorkerPool"/>.</summary>
    public int RouterCount => Volatile.Read(ref _routerCount);

    /// <summary>
    /// Starts a worker and waits for its answer to <c>worker.dump</c>.
    /// </summary>
    /// <exception cref="WorkerStartException">The binary is missing or cannot run, or the worker exited
    /// (or did not answer) during startup; the message includes what it printed.</exception>
    public static async Task<MediaWorker> StartAsync(
        WorkerStartInfo startInfo, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        var workerId = startInfo.WorkerId;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MediaWorker>();
        if (!File.Exists(startInfo.BinaryPath))
        {
            throw new WorkerStartException(
                $"mediasoup-worker binary not found at {startInfo.BinaryPath}: {WorkerOptions.HowToGetBinary}");
        }

        var clock = Stopwatch.StartNew();
        ChildProcess child;
        try
        {
            child = ChildProcess.Spawn(startInfo.BinaryPath, startInfo.Arguments, ["MEDIASOUP_CHANNEL_FD=3"]);
        }
        catch (Win32Exception e)
        {
            throw new WorkerStartException(
                $"cannot start mediasoup-worker {workerId} ({startInfo.BinaryPath}): {e.Message}. To get a working binary: {WorkerOptions.HowToGetBinary}",
                e);
        }

        MediaWorker worker;
        try
        {
            worker = new MediaWorker(
                startInfo,
                child,
                SocketFromFd(child.ChannelFd),
                SocketFromFd(child.StdoutFd),
                SocketFromFd(child.StderrFd),
                logger);
        }
        catch (Exception e)
        {
            // Should not happen (the fds are fresh sockets); do not leave the child behind.
            child.TrySignal(Libc.SIGKILL);
            Libc.close(child.ChannelFd);
            Libc.close(child.StdoutFd);
            Libc.close(child.StderrFd);
            throw new WorkerStartException($"cannot attach to mediasoup-worker {workerId}: {e.Message}", e);
        }

        try
        {
            var dump = await worker.Channel.RequestAsync("worker.dump", cancellationToken: cancellationToken).ConfigureAwait(false);
            worker.StartupTime = clock.Elapsed;
            var reportedId = dump.ValueKind == JsonValueKind.Object && dump.TryGetProperty("workerId", out var idElement)
                ? idElement.GetString()
                : null;
            if (reportedId != workerId)
            {
                throw new WorkerStartException($"mediasoup-worker {workerId} answered worker.dump with workerId '{reportedId}'");
            }
        }
        catch (OperationCanceledException)
        {
            worker.Kill();
            await worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is WorkerClosedException or WorkerRequestTimeoutException or WorkerRequestException
                                       or WorkerStartException)
        {
            var message = await worker.DescribeStartFailureAsync(startInfo, e).ConfigureAwait(false);
            throw new WorkerStartException(message, e);
        }

        logger.LogInformation(
            "mediasoup-worker {WorkerId} started: pid {Pid}, ports {Ports}, first reply after {StartupMs:0.0} ms",
            workerId,
            worker.Pid,
            worker.Ports?.ToString() ?? "n/a",
            worker.StartupTime.TotalMilliseconds);
        return worker;
    }

    /// <summary>
    /// Stops the worker: SIGTERM (it closes its routers, emitting their <c>close</c> events, and
    /// exits 0 about 100 ms later), then SIGKILL if it is still running after the grace period.
    /// Idempotent; returns once the process is reaped and the channel closed.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _stopping, 1);
        try
        {
            await StopGracefullyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // No time left for grace: make sure nothing is left behind.
            _child.TrySignal(Libc.SIGKILL);
            Channel.Close("worker stop was cancelled; killed");
            throw;
        }
    }

    /// <summary>Kills the worker with SIGKILL at once (no events, no cleanup). For emergencies and tests.</summary>
    public void Kill() => _child.TrySignal(Libc.SIGKILL);

    /// <summary>Sends a signal to the worker unless it has already been reaped.</summary>
    public bool Signal(int signal) => _child.TrySignal(signal);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await Channel.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => $"{Id} (pid {Pid})";

    internal void AddRouter() => Interlocked.Increment(ref _routerCount);

    internal void RemoveRouter() => Interlocked.Decrement(ref _routerCount);

    private async Task StopGracefullyAsync(CancellationToken cancellationToken)
    {
        if (!Exited.IsCompleted)
        {
            _child.TrySignal(Libc.SIGTERM);
            if (!await CompletesWithin(Exited, _stopTimeout, cancellationToken).ConfigureAwait(false))
            {
                _logger.LogWarning(
                    "mediasoup-worker {WorkerId} (pid {Pid}) did not exit within {Timeout} ms of SIGTERM; sending SIGKILL",
                    Id,
                    Pid,
                    _stopTimeout.TotalMilliseconds);
                _child.TrySignal(Libc.SIGKILL);
                await Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        // After exit the worker has written everything; let the reader reach EOF, then close.
        await CompletesWithin(Channel.Completion, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        Channel.Close("worker stopped");
        await _terminated.ConfigureAwait(false);
        await CompletesWithin(Task.WhenAll(_stdoutDrain, _stderrDrain), TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
    }

    private static Socket SocketFromFd(int fd) => new(new SafeSocketHandle(fd, ownsHandle: true));

    private static async Task<bool> CompletesWithin(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (task.IsCompleted)
        {
            return true;
        }

        try
        {
            await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception) when (task.IsCompleted)
        {
            // The task faulted; it is complete all the same.
        }

        return true;
    }

    private async Task<string> WatchAsync()
    {
        var first = await Task.WhenAny(Exited, Channel.WhenClosed).ConfigureAwait(false);
        if (first != Exited)
        {
            // EOF normally means the process is exiting; give it a moment so the reason says how.
            await CompletesWithin(Exited, TimeSpan.FromMilliseconds(250), CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            // The process is gone: let the reader take what it wrote last (replies, close events,
            // the reason it failed) up to the EOF, which follows at once since nobody else holds the
            // worker's end. The bound is generous because a loaded machine may not run the reader at
            // once, and closing first would drop that text.
            await CompletesWithin(Channel.Completion, TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
        }

        string reason;
        if (Exited.IsCompleted)
        {
            var status = await Exited.ConfigureAwait(false);
            reason = $"process {Pid} {status}";
            Channel.Close(reason);
        }
        else
        {
            reason = $"channel closed ({await Channel.WhenClosed.ConfigureAwait(false)}) while process {Pid} was still running";
            _ = KillIfStillRunningAsync();
        }

        if (!IsStopping)
        {
            _logger.LogDebug("mediasoup-worker {WorkerId} terminated: {Reason}", Id, reason);
        }

        return reason;
    }

    private async Task KillIfStillRunningAsync()
    {
        // The worker exits ~100 ms after it sees EOF; make sure it does.
        if (!await CompletesWithin(Exited, _stopTimeout, CancellationToken.None).ConfigureAwait(false))
        {
            _logger.LogWarning("mediasoup-worker {WorkerId} (pid {Pid}) still runs after its channel closed; sending SIGKILL", Id, Pid);
            _child.TrySignal(Libc.SIGKILL);
        }
    }

    private async Task DrainAsync(Socket socket, bool isStderr)
    {
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (!isStderr)
                {
                    _logger.LogDebug("mediasoup-worker {WorkerId} stdout: {Line}", Id, line);
                }
                else if (line.Contains(RemoteCloseLine, StringComparison.Ordinal))
                {
                    _logger.LogDebug("mediasoup-worker {WorkerId} stderr: {Line}", Id, line);
                }
                else
                {
                    _problems.Add(line);
                    _logger.LogWarning("mediasoup-worker {WorkerId} stderr: {Line}", Id, line);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _logger.LogDebug("mediasoup-worker {WorkerId}: {Stream} closed: {Error}", Id, isStderr ? "stderr" : "stdout", e.Message);
        }
    }

    private static readonly TimeSpan StartFailureOutputWait = TimeSpan.FromSeconds(5);

    private async Task<string> DescribeStartFailureAsync(WorkerStartInfo startInfo, Exception failure)
    {
        // Collect everything the worker printed: the channel until EOF, stderr until EOF. A failing
        // worker exits at once, but on a loaded machine its exit and output can take seconds to be
        // seen; this wait is on the failure path only, and the reason is what the operator needs.
        if (!await CompletesWithin(Exited, StartFailureOutputWait, CancellationToken.None).ConfigureAwait(false))
        {
            _child.TrySignal(Libc.SIGKILL);
            await CompletesWithin(Exited, TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
        }

        await CompletesWithin(
                Task.WhenAll(Channel.Completion, _stdoutDrain, _stderrDrain),
                StartFailureOutputWait,
                CancellationToken.None)
            .ConfigureAwait(false);
        Interlocked.Exchange(ref _stopping, 1);
        Channel.Close("startup failed");

        var status = Exited.IsCompleted ? Exited.Result.ToString() : "still running";
        var printed = _problems.Snapshot();
        var what = failure switch
        {
            WorkerClosedException => "exited before answering its first request",
            WorkerRequestTimeoutException => $"did not answer its first request within {startInfo.RequestTimeout.TotalSeconds:0.#} s",
            _ => $"failed its first request ({failure.Message})",
        };
        var message = new StringBuilder()
            .Append($"mediasoup-worker {startInfo.WorkerId} {what}; process {status}. ")
            .Append($"Command: {startInfo.BinaryPath} {string.Join(' ', startInfo.Arguments)}. ")
            .Append(printed.Count == 0 ? "It printed nothing." : $"It printed: {string.Join(" | ", printed)}")
            .ToString();
        _logger.LogError("{Message}", message);
        return message;
    }
}
