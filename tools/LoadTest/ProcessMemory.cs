using System.Globalization;

namespace Coordinator.Tools.LoadTest;

/// <summary>One process's memory, in KiB: resident (VmRSS) and its private, anonymous part (RssAnon).</summary>
public sealed record MemorySample(long RssKiB, long? RssAnonKiB);

/// <summary>
/// Reads a Linux process's memory from /proc/&lt;pid&gt;/status. That is the process alone, not its
/// children: the node's mediasoup workers are separate processes, and idle peers give them nothing to hold.
/// </summary>
public static class ProcessMemory
{
    /// <summary>The process's memory now, or null when it is gone or /proc cannot be read.</summary>
    public static MemorySample? Sample(int pid)
        => ProcFile.TryRead(pid, "status") is { } text ? Parse(text) : null;

    /// <summary>VmRSS and RssAnon ("VmRSS:   123456 kB") from the text of /proc/&lt;pid&gt;/status.</summary>
    public static MemorySample? Parse(string status)
    {
        long? rss = null;
        long? anon = null;
        foreach (var line in status.Split('\n'))
        {
            if (Field(line, "VmRSS:") is { } r)
            {
                rss = r;
            }
            else if (Field(line, "RssAnon:") is { } a)
            {
                anon = a;
            }
        }

        return rss is { } kib ? new MemorySample(kib, anon) : null;
    }

    private static long? Field(string line, string name) =>
        line.StartsWith(name, StringComparison.Ordinal)
        && long.TryParse(line[name.Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
            ? kib
            : null;
}
