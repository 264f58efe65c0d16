using System.Globalization;
using System.Net;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// The TCP sockets a process listens on, read from Linux' <c>/proc</c>: the process' socket inodes
/// (<c>/proc/PID/fd</c>) matched against the LISTEN rows of <c>/proc/PID/net/tcp</c> and <c>tcp6</c>.
/// </summary>
internal static class ListeningSockets
{
    private const string Listen = "0A";

    public static IReadOnlyList<IPEndPoint> Of(int pid)
    {
        var inodes = SocketInodes(pid);
        return Rows(pid, "tcp", ipv6: false).Concat(Rows(pid, "tcp6", ipv6: true))
            .Where(row => row.State == Listen && inodes.Contains(row.Inode))
            .Select(row => row.Local)
            .ToList();
    }

    private static HashSet<string> SocketInodes(int pid)
    {
        var inodes = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            try
            {
                // "socket:[12345]"
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // closed while we looked
            }
        }

        return inodes;
    }

    private static IEnumerable<(IPEndPoint Local, string State, string Inode)> Rows(int pid, string table, bool ipv6)
    {
        var path = $"/proc/{pid}/net/{table}";
        if (!File.Exists(path))
        {
            yield break;
        }

        // "  sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt   uid  timeout inode"
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            yield return (Endpoint(fields[1], ipv6), fields[3], fields[9]);
        }
    }

    // "0100007F:2B67": the address as 32-bit words in host (little-endian) order, then the port.
    private static IPEndPoint Endpoint(string text, bool ipv6)
    {
        var (address, port) = (text[..text.IndexOf(':')], text[(text.IndexOf(':') + 1)..]);
        var bytes = new byte[address.Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
        {
            for (var b = 0; b < 4; b++)
            {
                bytes[(word * 4) + b] = byte.Parse(address.AsSpan((word * 8) + ((3 - b) * 2), 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        var ip = new IPAddress(bytes);
        return new IPEndPoint(ipv6 && ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, int.Parse(port, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
