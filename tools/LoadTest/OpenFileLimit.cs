using System.Globalization;

namespace Coordinator.Tools.LoadTest;

/// <summary>
/// Every socket is a file descriptor, in this process and in the server's: a run that needs more than
/// the soft "Max open files" limit would fail midway with confusing connect errors, so it fails first.
/// </summary>
public static class OpenFileLimit
{
    /// <summary>Descriptors a process uses besides the load's sockets (runtime, logs, the worker channels).</summary>
    public const int Headroom = 256;

    /// <summary>Sockets open at once: the room's members stay connected while join-large's joiners come and go.</summary>
    public static int SocketsAtOnce(LoadOptions options) => options.Mode switch
    {
        LoadMode.JoinLarge => options.EffectivePeers + options.EffectiveConnections,
        LoadMode.Frontend => 1,
        _ => options.EffectiveConnections,
    };

    /// <summary>Throws when this process, or the server process when its pid is given, cannot open the run's sockets.</summary>
    public static void EnsureEnough(LoadOptions options)
    {
        var sockets = SocketsAtOnce(options);
        Ensure(sockets, SoftLimit(Environment.ProcessId), "this load tool");
        if (options.ServerPid is { } pid)
        {
            Ensure(sockets, SoftLimit(pid), $"the server (pid {pid})");
        }
    }

    public static void Ensure(int sockets, long? softLimit, string who)
    {
        if (softLimit is { } limit && limit < sockets + Headroom)
        {
            throw new RunCannotStartException(
                $"{who} may open only {limit} files (soft limit, `ulimit -n`), but {sockets} sockets need about {sockets + Headroom}: " +
                $"raise it (e.g. `ulimit -n {sockets + Headroom}` in the shell that starts it) or lower --connections");
        }
    }

    /// <summary>The soft "Max open files" limit of a process, or null when unknown or unlimited.</summary>
    public static long? SoftLimit(int pid)
        => ProcFile.TryRead(pid, "limits") is { } text ? ParseSoftLimit(text) : null;

    /// <summary>From /proc/&lt;pid&gt;/limits: "Max open files            20000                20000                files".</summary>
    public static long? ParseSoftLimit(string limits)
    {
        const string name = "Max open files";
        var line = limits.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        var soft = line?[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : null;
    }
}
