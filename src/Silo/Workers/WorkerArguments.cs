namespace Coordinator.Silo.Workers;

/// <summary>
/// Builds a worker's command line exactly like the v2 Node lib (docs/worker-channel.md#the-process): values attached
/// with <c>=</c>, one <c>--logTag=</c> per tag, and the port range last.
/// </summary>
public static class WorkerArguments
{
    /// <summary>
    /// The port range of worker <paramref name="index"/> (1-based) out of <paramref name="count"/>,
    /// as the Node lib splits it: numPorts = ⌊(max−min)/count⌋, worker i gets
    /// min+numPorts·(i−1) … that+numPorts, then min is bumped to even and max lowered to odd (which
    /// also keeps neighbouring ranges apart).
    /// </summary>
    public static PortRange PortRangeFor(int index, int count, int totalMin, int totalMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, count);
        var numPorts = (totalMax - totalMin) / count;
        var min = totalMin + (numPorts * (index - 1));
        var max = min + numPorts;
        if (min % 2 != 0)
        {
            min++;
        }

        if (max % 2 == 0)
        {
            max--;
        }

        return new PortRange(min, max);
    }

    /// <summary>argv[1..]: the worker id followed by the settings flags.</summary>
    public static IReadOnlyList<string> Build(WorkerOptions options, string workerId, PortRange ports)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        var args = new List<string> { workerId, $"--logLevel={options.LogLevel}" };
        foreach (var tag in options.LogTags)
        {
            if (!string.IsNullOrWhiteSpace(tag))
            {
                args.Add($"--logTag={tag}");
            }
        }

        args.Add($"--rtcIPv4={options.RtcIPv4}");
        args.Add($"--rtcIPv6={options.RtcIPv6}");
        if (!string.IsNullOrWhiteSpace(options.RtcAnnouncedIPv4))
        {
            args.Add($"--rtcAnnouncedIPv4={options.RtcAnnouncedIPv4}");
        }

        if (!string.IsNullOrWhiteSpace(options.RtcAnnouncedIPv6))
        {
            args.Add($"--rtcAnnouncedIPv6={options.RtcAnnouncedIPv6}");
        }

        if (!string.IsNullOrWhiteSpace(options.DtlsCertificateFile) && !string.IsNullOrWhiteSpace(options.DtlsPrivateKeyFile))
        {
            args.Add($"--dtlsCertificateFile={Path.GetFullPath(options.DtlsCertificateFile)}");
            args.Add($"--dtlsPrivateKeyFile={Path.GetFullPath(options.DtlsPrivateKeyFile)}");
        }

        args.Add($"--rtcMinPort={ports.Min}");
        args.Add($"--rtcMaxPort={ports.Max}");
        return args;
    }
}
