using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Coordinator.Silo.Workers.Native;

/// <summary>
/// A child process started with <c>posix_spawn</c> (docs/worker-channel.md#spawning-with-fd-3): fd 0 is
/// <c>/dev/null</c>, fds 1 and 2 are socketpairs the parent drains, and fd 3 is one end of a
/// <c>socketpair(AF_UNIX, SOCK_STREAM)</c> used as the control channel.
/// <para>
/// Every descriptor is created with <c>SOCK_CLOEXEC</c>; only the <c>dup2</c> file actions put
/// inheritable copies at 1, 2 and 3 in the child. So no copy of the parent's ends ever leaks into
/// this or any other child, and the worker sees EOF (and exits) when the parent's end is closed,
/// including when the parent dies.
/// </para>
/// <para>
/// The child is placed in its own process group, so a terminal Ctrl-C aimed at the host does not
/// kill the workers behind the host's back; the host stops them itself (or they exit on channel
/// EOF when the host dies). The child's signal mask is cleared and the signals .NET may ignore
/// (SIGPIPE) are reset to their defaults.
/// </para>
/// <para>
/// Every fd above 3 is closed in the child (glibc &gt;= 2.34), so the worker holds exactly 0–3.
/// </para>
/// <para>
/// Exit is watched on a dedicated thread with <c>waitid(WNOWAIT)</c>, then reaped under a lock that
/// <see cref="TrySignal"/> also takes: a signal is therefore never sent to a recycled pid.
/// </para>
/// </summary>
internal sealed class ChildProcess
{
    private static bool _closeFromAvailable = true;

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<WorkerExitStatus> _exited =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _reaped;

    private ChildProcess(int pid, int channelFd, int stdoutFd, int stderrFd)
    {
        Pid = pid;
        ChannelFd = channelFd;
        StdoutFd = stdoutFd;
        StderrFd = stderrFd;
    }

    public int Pid { get; }

    /// <summary>The parent's end of the control channel socketpair (owned by the caller).</summary>
    public int ChannelFd { get; }

    /// <summary>The parent's end of the child's stdout socketpair (owned by the caller).</summary>
    public int StdoutFd { get; }

    /// <summary>The parent's end of the child's stderr socketpair (owned by the caller).</summary>
    public int StderrFd { get; }

    /// <summary>Completes once the child has exited and was reaped.</summary>
    public Task<WorkerExitStatus> Exited => _exited.Task;

    public bool HasExited
    {
        get
        {
            lock (_gate)
            {
                return _reaped;
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="path"/> with <paramref name="arguments"/> (argv[1..]) and exactly the
    /// environment <paramref name="environment"/> (<c>NAME=value</c> entries).
    /// </summary>
    public static ChildProcess Spawn(string path, IReadOnlyList<string> arguments, IReadOnlyList<string> environment)
    {
        var channel = SocketPair();
        int[]? stdout = null;
        int[]? stderr = null;
        var fileActions = IntPtr.Zero;
        var attr = IntPtr.Zero;
        var sigset = IntPtr.Zero;
        var argv = Array.Empty<IntPtr>();
        var envp = Array.Empty<IntPtr>();
        var fileActionsReady = false;
        var attrReady = false;
        try
        {
            stdout = SocketPair();
            stderr = SocketPair();

            fileActions = Marshal.AllocHGlobal(Libc.SpawnFileActionsSize);
            Check(Libc.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            fileActionsReady = true;
            // Order matters if a source fd happens to be a low number: fill 1 and 2 first, then 3
            // (dup2 onto the same number clears CLOEXEC on glibc >= 2.29), then 0.
            Check(Libc.posix_spawn_file_actions_adddup2(fileActions, stdout[1], 1), "adddup2(stdout)");
            Check(Libc.posix_spawn_file_actions_adddup2(fileActions, stderr[1], 2), "adddup2(stderr)");
            Check(Libc.posix_spawn_file_actions_adddup2(fileActions, channel[1], 3), "adddup2(channel)");
            Check(Libc.posix_spawn_file_actions_addopen(fileActions, 0, "/dev/null", Libc.O_RDONLY, 0), "addopen(/dev/null)");
            AddCloseFrom(fileActions, 4);

            attr = Marshal.AllocHGlobal(Libc.SpawnAttrSize);
            Check(Libc.posix_spawnattr_init(attr), "posix_spawnattr_init");
            attrReady = true;
            sigset = Marshal.AllocHGlobal(Libc.SigSetSize);
            Libc.sigemptyset(sigset);
            Check(Libc.posix_spawnattr_setsigmask(attr, sigset), "posix_spawnattr_setsigmask");
            foreach (var signal in new[]
                     {
                         Libc.SIGHUP, Libc.SIGINT, Libc.SIGQUIT, Libc.SIGUSR1, Libc.SIGUSR2,
                         Libc.SIGPIPE, Libc.SIGTERM, Libc.SIGCHLD,
                     })
            {
                Libc.sigaddset(sigset, signal);
            }

            Check(Libc.posix_spawnattr_setsigdefault(attr, sigset), "posix_spawnattr_setsigdefault");
            Check(Libc.posix_spawnattr_setpgroup(attr, 0), "posix_spawnattr_setpgroup");
            Check(
                Libc.posix_spawnattr_setflags(
                    attr,
                    (short)(Libc.POSIX_SPAWN_SETPGROUP | Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF)),
                "posix_spawnattr_setflags");

            argv = ToNativeStrings([path, .. arguments]);
            envp = ToNativeStrings(environment);

            var rc = Libc.posix_spawn(out var pid, path, fileActions, attr, argv, envp);
            if (rc != 0)
            {
                throw new Win32Exception(rc, $"posix_spawn({path}) failed: {Libc.ErrorText(rc)}");
            }

            var child = new ChildProcess(pid, channel[0], stdout[0], stderr[0]);
            child.StartExitWatch();
            return child;
        }
        catch
        {
            CloseQuietly(channel[0]);
            if (stdout is not null)
            {
                CloseQuietly(stdout[0]);
            }

            if (stderr is not null)
            {
                CloseQuietly(stderr[0]);
            }

            throw;
        }
        finally
        {
            // The child ends now live (as 1, 2, 3) only in the child.
            CloseQuietly(channel[1]);
            if (stdout is not null)
            {
                CloseQuietly(stdout[1]);
            }

            if (stderr is not null)
            {
                CloseQuietly(stderr[1]);
            }

            FreeNativeStrings(argv);
            FreeNativeStrings(envp);
            if (fileActionsReady)
            {
                Libc.posix_spawn_file_actions_destroy(fileActions);
            }

            if (attrReady)
            {
                Libc.posix_spawnattr_destroy(attr);
            }

            if (fileActions != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(fileActions);
            }

            if (attr != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(attr);
            }

            if (sigset != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(sigset);
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/> unless the child has already been reaped (its pid may have
    /// been recycled). Returns whether the signal was sent.
    /// </summary>
    public bool TrySignal(int signal)
    {
        lock (_gate)
        {
            if (_reaped)
            {
                return false;
            }

            return Libc.kill(Pid, signal) == 0;
        }
    }

    private void StartExitWatch()
    {
        var thread = new Thread(WatchExit)
        {
            IsBackground = true,
            Name = $"waitpid {Pid}",
        };
        thread.Start();
    }

    private void WatchExit()
    {
        var info = new byte[Libc.SigInfoSize];
        while (true)
        {
            // Wait for the exit without reaping, so the pid stays reserved until we hold the lock.
            if (Libc.waitid(Libc.P_PID, Pid, info, Libc.WEXITED | Libc.WNOWAIT) == 0)
            {
                break;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.EINTR)
            {
                continue;
            }

            // ECHILD: someone else reaped it (only if SIGCHLD was ignored when .NET started).
            lock (_gate)
            {
                _reaped = true;
            }

            _exited.TrySetResult(WorkerExitStatus.Unknown($"waitid failed: {Libc.ErrorText(errno)}"));
            return;
        }

        WorkerExitStatus status;
        lock (_gate)
        {
            int rc;
            int raw;
            do
            {
                rc = Libc.waitpid(Pid, out raw, Libc.WNOHANG);
            }
            while (rc < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);

            _reaped = true;
            status = rc == Pid ? WorkerExitStatus.FromWaitStatus(raw) : WorkerExitStatus.Unknown("waitpid did not report the exit");
        }

        _exited.TrySetResult(status);
    }

    /// <summary>
    /// Closes every other fd in the child, including non-CLOEXEC ones this process inherited from
    /// its own parent. Skipped on a libc without <c>posix_spawn_file_actions_addclosefrom_np</c>
    /// (our own fds are CLOEXEC anyway).
    /// </summary>
    private static void AddCloseFrom(IntPtr fileActions, int from)
    {
        if (!_closeFromAvailable)
        {
            return;
        }

        try
        {
            Check(Libc.posix_spawn_file_actions_addclosefrom_np(fileActions, from), "addclosefrom_np");
        }
        catch (EntryPointNotFoundException)
        {
            _closeFromAvailable = false;
        }
    }

    private static int[] SocketPair()
    {
        var fds = new int[2];
        if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"socketpair failed: {Libc.ErrorText(errno)}");
        }

        return fds;
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
        {
            throw new Win32Exception(rc, $"{what} failed: {Libc.ErrorText(rc)}");
        }
    }

    private static void CloseQuietly(int fd)
    {
        if (fd >= 0)
        {
            Libc.close(fd);
        }
    }

    private static IntPtr[] ToNativeStrings(IReadOnlyList<string> values)
    {
        var result = new IntPtr[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
        {
            result[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        }

        return result; // Trailing IntPtr.Zero terminates the array.
    }

    private static void FreeNativeStrings(IntPtr[] values)
    {
        foreach (var value in values)
        {
            if (value != IntPtr.Zero)
            {
                Marshal.FreeCoTaskMem(value);
            }
        }
    }
}
