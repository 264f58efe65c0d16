namespace Coordinator.Silo.Workers;

/// <summary>
/// Settings for the mediasoup worker processes, bound from the configuration section
/// <c>MediaWorkers</c> (see <see cref="SectionName"/>).
/// </summary>
public sealed class WorkerOptions
{
    public const string SectionName = "MediaWorkers";

    /// <summary>The mediasoup version whose worker this code speaks to.</summary>
    public const string WorkerVersion = "2.6.19";

    /// <summary>Environment variable consulted when no binary is configured or cached.</summary>
    public const string BinaryEnvironmentVariable = "MEDIASOUP_WORKER_BIN";

    /// <summary>Where <c>scripts/build-worker.sh</c> puts the binary, relative to the repository root.</summary>
    public static readonly string CachedBinaryRelativePath =
        Path.Combine(".cache", "mediasoup-worker", WorkerVersion, "mediasoup-worker");

    /// <summary>What to tell an operator when the binary is missing.</summary>
    public const string HowToGetBinary =
        "run scripts/build-worker.sh, or set MediaWorkers:BinaryPath (or MEDIASOUP_WORKER_BIN) to a mediasoup 2.6.19 worker binary";

    private static readonly HashSet<string> LogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        "debug", "warn", "error", "none",
    };

    /// <summary>
    /// Path of the <c>mediasoup-worker</c> binary. When empty: the first existing of
    /// <c>&lt;repo&gt;/.cache/mediasoup-worker/2.6.19/mediasoup-worker</c> (searched walking up from
    /// <see cref="AppContext.BaseDirectory"/>) and <c>$MEDIASOUP_WORKER_BIN</c>.
    /// </summary>
    public string? BinaryPath { get; set; }

    /// <summary>Number of worker processes. Default: <see cref="Environment.ProcessorCount"/>.</summary>
    public int Count { get; set; } = Environment.ProcessorCount;

    /// <summary>Prefix of the worker ids (<c>&lt;prefix&gt;#&lt;n&gt;</c>). Default: host name and pid.</summary>
    public string? IdPrefix { get; set; }

    /// <summary><c>debug</c>, <c>warn</c>, <c>error</c> or <c>none</c>.</summary>
    public string LogLevel { get; set; } = "warn";

    /// <summary>Worker log tags (<c>info ice dtls rtp srtp rtcp rtx rbe tmp</c>); one <c>--logTag=</c> each.</summary>
    public List<string> LogTags { get; set; } = [];

    /// <summary>IPv4 to bind RTC sockets on, <c>true</c> (auto, skips loopback) or <c>false</c>.</summary>
    public string RtcIPv4 { get; set; } = "127.0.0.1";

    /// <summary>IPv6 to bind RTC sockets on, <c>true</c> (auto) or <c>false</c>.</summary>
    public string RtcIPv6 { get; set; } = "false";

    public string? RtcAnnouncedIPv4 { get; set; }

    public string? RtcAnnouncedIPv6 { get; set; }

    /// <summary>Lowest RTC port of the whole pool; the range is split between the workers.</summary>
    public int RtcMinPort { get; set; } = 20000;

    /// <summary>Highest RTC port of the whole pool.</summary>
    public int RtcMaxPort { get; set; } = 29999;

    /// <summary>PEM certificate for DTLS (optional; both files or neither).</summary>
    public string? DtlsCertificateFile { get; set; }

    /// <summary>PEM private key for DTLS (optional; both files or neither).</summary>
    public string? DtlsPrivateKeyFile { get; set; }

    /// <summary>
    /// How long a worker request may go unanswered. Must stay below the server's 8 s request
    /// deadline. Default 5 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Grace period between SIGTERM and SIGKILL when stopping a worker. Default 1 s.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Resolves the binary to use, or returns null with the places that were searched in
    /// <paramref name="searched"/>.
    /// </summary>
    public string? ResolveBinaryPath(out IReadOnlyList<string> searched)
    {
        var tried = new List<string>();
        searched = tried;
        if (!string.IsNullOrWhiteSpace(BinaryPath))
        {
            var configured = Path.GetFullPath(BinaryPath);
            tried.Add($"MediaWorkers:BinaryPath={configured}");
            return File.Exists(configured) ? configured : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, CachedBinaryRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        tried.Add($"<ancestors of {AppContext.BaseDirectory}>/{CachedBinaryRelativePath}");

        var fromEnvironment = Environment.GetEnvironmentVariable(BinaryEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var full = Path.GetFullPath(fromEnvironment);
            tried.Add($"{BinaryEnvironmentVariable}={full}");
            if (File.Exists(full))
            {
                return full;
            }
        }
        else
        {
            tried.Add($"{BinaryEnvironmentVariable} (not set)");
        }

        return null;
    }

    /// <summary>The id prefix actually used.</summary>
    public string EffectiveIdPrefix() =>
        string.IsNullOrWhiteSpace(IdPrefix) ? $"{Environment.MachineName}.{Environment.ProcessId}" : IdPrefix;

    /// <summary>Returns every problem with these settings (empty when they are usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Count < 1)
        {
            errors.Add($"MediaWorkers:Count must be at least 1 (is {Count})");
        }

        if (!LogLevels.Contains(LogLevel))
        {
            errors.Add($"MediaWorkers:LogLevel must be debug, warn, error or none (is '{LogLevel}')");
        }

        if (RtcMinPort < 1024 || RtcMaxPort > 65535 || RtcMinPort >= RtcMaxPort)
        {
            errors.Add($"MediaWorkers:RtcMinPort/RtcMaxPort must satisfy 1024 <= min < max <= 65535 (are {RtcMinPort}/{RtcMaxPort})");
        }
        else if (Count >= 1 && (RtcMaxPort - RtcMinPort) / Count < 3)
        {
            errors.Add($"MediaWorkers: the RTC port range {RtcMinPort}-{RtcMaxPort} is too small for {Count} workers");
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout >= TimeSpan.FromSeconds(8))
        {
            errors.Add($"MediaWorkers:RequestTimeout must be above 0 and below the 8 s server request deadline (is {RequestTimeout})");
        }

        if (StopTimeout < TimeSpan.Zero)
        {
            errors.Add($"MediaWorkers:StopTimeout must not be negative (is {StopTimeout})");
        }

        if (string.IsNullOrWhiteSpace(DtlsCertificateFile) != string.IsNullOrWhiteSpace(DtlsPrivateKeyFile))
        {
            errors.Add("MediaWorkers:DtlsCertificateFile and DtlsPrivateKeyFile must be given together (the worker silently ignores one alone)");
        }

        foreach (var value in new[] { RtcIPv4, RtcIPv6, RtcAnnouncedIPv4, RtcAnnouncedIPv6, IdPrefix })
        {
            if (value is not null && value.Any(char.IsWhiteSpace))
            {
                errors.Add($"MediaWorkers: '{value}' must not contain whitespace");
            }
        }

        return errors;
    }
}
