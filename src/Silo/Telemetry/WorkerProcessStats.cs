namespace Coordinator.Silo.Telemetry;

/// <summary>CPU time and resident memory of a process, from Linux's <c>/proc</c>; null once it is gone.</summary>
internal static class WorkerProcessStats
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on
    private static readonly long PageBytes = Environment.SystemPageSize;

    public static double? CpuSeconds(int pid) =>
        StatFields(pid) is { } fields ? (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond : null;

    /// <summary>How long the process has been running; null once it is gone.</summary>
    public static double? AgeSeconds(int pid)
    {
        // starttime (field 22) is in ticks after boot; /proc/uptime's first number is seconds since boot.
        if (StatFields(pid) is not { } fields || Read("/proc/uptime") is not { } uptime)
        {
            return null;
        }

        return double.Parse(uptime.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) - long.Parse(fields[19]) / TicksPerSecond;
    }

    public static double? ResidentBytes(int pid) =>
        Read($"/proc/{pid}/statm") is { } statm ? long.Parse(statm.Split(' ')[1]) * PageBytes : null;

    /// <summary>/proc/&lt;pid&gt;/stat is "pid (comm) state …": the fields after the ')', so field N (from 1) is at N - 3.</summary>
    private static string[]? StatFields(int pid) =>
        Read($"/proc/{pid}/stat") is { } stat ? stat[(stat.LastIndexOf(')') + 2)..].Split(' ') : null;

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
