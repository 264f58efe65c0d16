using System.Runtime.InteropServices;

namespace Coordinator.Silo.Workers.Native;

/// <summary>
/// The few glibc functions needed to start and supervise a mediasoup worker on Linux x86-64/arm64.
/// Only blittable parameters (ints, <see cref="IntPtr"/>, blittable arrays) and UTF-8 strings are
/// marshalled, so no unsafe code is needed. Functions that report errors through errno use
/// <c>SetLastError</c>; read it with <see cref="Marshal.GetLastPInvokeError"/>.
/// </summary>
internal static class Libc
{
    private const string Lib = "libc";

    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOCK_CLOEXEC = 0x80000;

    public const int O_RDONLY = 0;

    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const int ESRCH = 3;

    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10;
    public const int SIGUSR2 = 12;
    public const int SIGPIPE = 13;
    public const int SIGTERM = 15;
    public const int SIGCHLD = 17;

    public const int WNOHANG = 1;

    // waitid(2)
    public const int P_PID = 1;
    public const int WEXITED = 4;
    public const int WNOWAIT = 0x01000000;

    // posix_spawnattr_setflags(3), glibc values.
    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    /// <summary>Generous sizes for opaque glibc structures (actual: 80, 336, 128 and 128 bytes).</summary>
    public const int SpawnFileActionsSize = 256;
    public const int SpawnAttrSize = 1024;
    public const int SigSetSize = 256;
    public const int SigInfoSize = 256;

    [DllImport(Lib, SetLastError = true)]
    public static extern int socketpair(int domain, int type, int protocol, [Out] int[] sv);

    [DllImport(Lib, SetLastError = true)]
    public static extern int close(int fd);

    [DllImport(Lib, SetLastError = true)]
    public static extern int kill(int pid, int sig);

    /// <summary>Ends the process at once: no exit handlers, no waiting on a stuck shutdown.</summary>
    [DllImport(Lib, EntryPoint = "_exit")]
    public static extern void ExitImmediately(int status);

    [DllImport(Lib, SetLastError = true)]
    public static extern int waitpid(int pid, out int status, int options);

    /// <summary><c>waitid(idtype, id, siginfo_t*, options)</c>; the siginfo buffer is not inspected.</summary>
    [DllImport(Lib, SetLastError = true)]
    public static extern int waitid(int idType, int id, [Out] byte[] info, int options);

    // The posix_spawn family returns an error number instead of setting errno.

    [DllImport(Lib)]
    public static extern int posix_spawn_file_actions_init(IntPtr fileActions);

    [DllImport(Lib)]
    public static extern int posix_spawn_file_actions_destroy(IntPtr fileActions);

    [DllImport(Lib)]
    public static extern int posix_spawn_file_actions_addopen(
        IntPtr fileActions, int fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int oflag, int mode);

    [DllImport(Lib)]
    public static extern int posix_spawn_file_actions_adddup2(IntPtr fileActions, int fd, int newFd);

    /// <summary>glibc >= 2.34: close every fd >= <paramref name="from"/> in the child.</summary>
    [DllImport(Lib)]
    public static extern int posix_spawn_file_actions_addclosefrom_np(IntPtr fileActions, int from);

    [DllImport(Lib)]
    public static extern int posix_spawnattr_init(IntPtr attr);

    [DllImport(Lib)]
    public static extern int posix_spawnattr_destroy(IntPtr attr);

    [DllImport(Lib)]
    public static extern int posix_spawnattr_setflags(IntPtr attr, short flags);

    [DllImport(Lib)]
    public static extern int posix_spawnattr_setpgroup(IntPtr attr, int pgroup);

    [DllImport(Lib)]
    public static extern int posix_spawnattr_setsigmask(IntPtr attr, IntPtr sigmask);

    [DllImport(Lib)]
    public static extern int posix_spawnattr_setsigdefault(IntPtr attr, IntPtr sigdefault);

    [DllImport(Lib, SetLastError = true)]
    public static extern int sigemptyset(IntPtr set);

    [DllImport(Lib, SetLastError = true)]
    public static extern int sigaddset(IntPtr set, int signo);

    /// <summary>
    /// <c>posix_spawn(pid_t*, path, file_actions*, attr*, argv, envp)</c>. <paramref name="argv"/> and
    /// <paramref name="envp"/> are NULL-terminated arrays of pointers to UTF-8 strings.
    /// </summary>
    [DllImport(Lib)]
    public static extern int posix_spawn(
        out int pid,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        IntPtr fileActions,
        IntPtr attr,
        IntPtr[] argv,
        IntPtr[] envp);

    public static string ErrorText(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    public static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        11 => "SIGSEGV",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => $"signal {signal}",
    };
}
