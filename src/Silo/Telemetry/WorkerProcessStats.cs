namespace Coordinator.Silo.Telemetry;

/// <summary>CPU time and resident memory of a process, from Linux's <c>/proc</c>; null once it is gone.</summary>
internal static class WorkerProcessStats
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on
    private static readonly long PageBytes = Environment.SystemPageSize;

    public static double? CpuSeconds(int pid)
    {
        // /proc/<pid>/stat: "pid (comm) state ..."; utime and stime are fields 14 and 15, counted after the ')'.
        if (Read($"/proc/{pid}/stat") is not { } stat)
        {
            return null;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
    }

    public static double? ResidentBytes(int pid) =>
        Read($"/proc/{pid}/statm") is { } statm ? long.Parse(statm.Split(' ')[1]) * PageBytes : null;

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
