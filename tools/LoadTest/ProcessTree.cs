using System.Globalization;

namespace Coordinator.Tools.LoadTest;

/// <summary>A process as <c>/proc/&lt;pid&gt;/stat</c> shows it: its parent, its name (as the kernel shortens it) and its CPU time.</summary>
internal sealed record ProcessEntry(int Pid, int Parent, string Name, long CpuTicks);

/// <summary>A server and its descendants (for the node, its mediasoup workers), found by one scan of /proc.</summary>
internal static class ProcessTree
{
    /// <summary>The root and every process descended from it; empty when the root is gone.</summary>
    public static List<ProcessEntry> Members(int root)
    {
        if (!Directory.Exists($"/proc/{root}"))
        {
            return [];
        }

        var all = Scan();
        var members = new HashSet<int> { root };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var entry in all)
            {
                if (members.Contains(entry.Parent) && members.Add(entry.Pid))
                {
                    grew = true;
                }
            }
        }

        return [.. all.Where(entry => members.Contains(entry.Pid))];
    }

    private static List<ProcessEntry> Scan()
    {
        var entries = new List<ProcessEntry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || ProcFile.TryRead(pid, "stat") is not { } text)
            {
                continue;
            }

            // "pid (comm) state ppid ... utime stime ...": comm may hold spaces or parentheses, so split after the last ')'.
            try
            {
                var open = text.IndexOf('(');
                var close = text.LastIndexOf(')');
                var fields = text[(close + 2)..].Split(' ');
                entries.Add(new ProcessEntry(
                    pid,
                    int.Parse(fields[1], CultureInfo.InvariantCulture),
                    text[(open + 1)..close],
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)));
            }
            catch (Exception exception) when (exception is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
            }
        }

        return entries;
    }
}
