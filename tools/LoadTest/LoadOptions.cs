using System.Globalization;

namespace Coordinator.Tools.LoadTest;

/// <summary>What the load tool runs.</summary>
public enum LoadMode
{
    /// <summary>R rooms × P peers, each peer through the whole client sequence.</summary>
    Full,

    /// <summary>The issue's sequence: connect → join → createTransport → createProducer(audio) → leave and close.</summary>
    Sequence,

    /// <summary>A room of P publishing peers, then timed joins of a new peer into it.</summary>
    JoinLarge,

    /// <summary>N peers connect and join rooms of P, then stay idle while the server's memory is sampled.</summary>
    Idle,
}

/// <summary>Command-line options; <see cref="Parse"/> reads them, the <c>Effective*</c> members apply the per-mode defaults.</summary>
public sealed record LoadOptions
{
    public const string Usage = """
        usage: LoadTest [--mode full|sequence|join-large|idle] [--url ws://127.0.0.1:4443]
                        [--rooms R] [--peers P] [--iterations N] [--duration 20s] [--connections C]
                        [--warmup 2s] [--warmup-joins 5] [--rate S] [--token-key <base64 HS256 key>]
                        [--session <file>] [--json <file>] [--timeout 10s] [--server-pid <pid>] [--quiet]

          --mode full        (default) R rooms × P peers, each peer: queryRoom, join, createTransport send and
                             recv (UDP+TCP), updateTransport, createProducer audio and video, enableConsumer for
                             every consumer, pauseProducer/resumeProducer, leave. Defaults: --rooms 4 --peers 4
                             --iterations 1 (rounds per room); --connections caps the sockets open at once.
          --mode sequence    connect → join → createTransport(send) → createProducer(audio) → leave and close,
                             in rooms of --peers (4), --connections (64) at once, for --duration (20s) or
                             --iterations per connection; --warmup (2s) is run first and not counted. With
                             --rate, S sequences start per second, in groups of --peers into one room (open
                             loop, --connections at most at once), instead of each connection starting its
                             next as soon as one ends.
          --mode join-large  a room of --peers (50) peers publishing audio and video, then --iterations (100)
                             timed joins of a new peer (after --warmup-joins), --connections (1) at a time.
          --mode idle        --connections (5000) peers connect and join rooms of --peers (10), 64 at a time,
                             and stay idle (no transports, no producers); with --server-pid, the memory of that
                             process alone (VmRSS and RssAnon, not its workers) before, with all peers idle,
                             and after they left; KiB per idle peer = (idle - before) / peers joined. Memory is
                             sampled once it settles (within 1 % for 3 s, at most 30 s) or after --duration.
          --duration         seconds ("20", "20s", "500ms", "1m"); with --iterations, whichever ends first.
          --token-key        mint an HS256 join token (grants publish, subscribe) for every socket.
          --session          a captured client session to take the payloads from (default: the real Chromium
                             session built into the tool, tests/data/client/chromium156-mediasoup2.6.19-session.json).
          --server-pid       also report the CPU used by that process and its children (the node and its workers).
          Every socket is a file: a run fails at once if this process (or --server-pid) cannot open them all.
        """;

    public LoadMode Mode { get; init; } = LoadMode.Full;

    public Uri Url { get; init; } = new("ws://127.0.0.1:4443");

    public int? Rooms { get; init; }

    public int? Peers { get; init; }

    public int? Iterations { get; init; }

    public TimeSpan? Duration { get; init; }

    public int? Connections { get; init; }

    public TimeSpan? Warmup { get; init; }

    public int WarmupJoins { get; init; } = 5;

    /// <summary>Sequence mode: sequences started per second across all connections (null: as fast as they complete).</summary>
    public double? Rate { get; init; }

    public string? TokenKey { get; init; }

    /// <summary>A captured session file in the format of tests/data/client/ (null: the copy built into the tool).</summary>
    public string? SessionPath { get; init; }

    public string? JsonPath { get; init; }

    /// <summary>How long a request or an awaited notification may take before it counts as an error.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public int? ServerPid { get; init; }

    public bool Quiet { get; init; }

    public int EffectiveRooms => Rooms ?? 4;

    public int EffectivePeers => Peers ?? Mode switch
    {
        LoadMode.JoinLarge => 50,
        LoadMode.Idle => 10,
        _ => 4,
    };

    public int EffectiveConnections => Connections ?? Mode switch
    {
        LoadMode.Sequence => 64,
        LoadMode.JoinLarge => 1,
        LoadMode.Idle => 5000,
        _ => EffectiveRooms * EffectivePeers,
    };

    /// <summary>Full: rounds per room; sequence: sequences per connection (null: until the duration); join-large: timed joins; idle: none.</summary>
    public int? EffectiveIterations => Iterations ?? Mode switch
    {
        LoadMode.Full => Duration is null ? 1 : null,
        LoadMode.JoinLarge => 100,
        _ => null,
    };

    /// <summary>Sequence and full: how long to run; idle: how long to wait, all peers joined, before sampling memory.</summary>
    public TimeSpan? EffectiveDuration => Duration ?? (Mode == LoadMode.Sequence && Iterations is null ? TimeSpan.FromSeconds(20) : null);

    public TimeSpan EffectiveWarmup => Warmup ?? (Mode == LoadMode.Sequence ? TimeSpan.FromSeconds(2) : TimeSpan.Zero);

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--quiet")
            {
                options = options with { Quiet = true };
                continue;
            }

            if (name is "-h" or "--help")
            {
                throw new ArgumentException(Usage);
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value\n{Usage}");
            }

            var value = args[++i];
            options = name switch
            {
                "--mode" => options with { Mode = ParseMode(value) },
                "--url" => options with { Url = new Uri(value) },
                "--rooms" => options with { Rooms = Positive(name, value) },
                "--peers" => options with { Peers = Positive(name, value) },
                "--iterations" or "--joins" => options with { Iterations = Positive(name, value) },
                "--duration" => options with { Duration = ParseDuration(name, value) },
                "--connections" => options with { Connections = Positive(name, value) },
                "--warmup" => options with { Warmup = ParseDuration(name, value, allowZero: true) },
                "--warmup-joins" => options with { WarmupJoins = NonNegative(name, value) },
                "--rate" => options with { Rate = PositiveNumber(name, value) },
                "--token-key" => options with { TokenKey = value },
                "--session" => options with { SessionPath = value },
                "--json" => options with { JsonPath = value },
                "--timeout" => options with { Timeout = ParseDuration(name, value) },
                "--server-pid" => options with { ServerPid = Positive(name, value) },
                _ => throw new ArgumentException($"unknown option {name}\n{Usage}"),
            };
        }

        if (options.Mode != LoadMode.Full && options.Rooms is not null)
        {
            throw new ArgumentException("--rooms applies to --mode full only (sequence, idle: rooms follow from --connections / --peers)");
        }

        if (options.Mode == LoadMode.Idle && (options.Iterations is not null || options.Warmup is not null))
        {
            throw new ArgumentException("--iterations and --warmup do not apply to --mode idle (every peer joins once and stays)");
        }

        if (options.Mode != LoadMode.Sequence && options.Rate is not null)
        {
            throw new ArgumentException("--rate applies to --mode sequence only");
        }

        if (options.Mode == LoadMode.Full && options.EffectiveConnections < options.EffectivePeers)
        {
            throw new ArgumentException($"--connections {options.EffectiveConnections} cannot hold one room of {options.EffectivePeers} peers");
        }

        return options;
    }

    public static LoadMode ParseMode(string value) => value switch
    {
        "full" => LoadMode.Full,
        "sequence" => LoadMode.Sequence,
        "join-large" => LoadMode.JoinLarge,
        "idle" => LoadMode.Idle,
        _ => throw new ArgumentException($"--mode must be full, sequence, join-large or idle, not \"{value}\""),
    };

    public static string ModeName(LoadMode mode) => mode switch
    {
        LoadMode.Sequence => "sequence",
        LoadMode.JoinLarge => "join-large",
        LoadMode.Idle => "idle",
        _ => "full",
    };

    /// <summary>"20" and "20s" are seconds; "500ms", "2m" and "00:00:20" work too.</summary>
    public static TimeSpan ParseDuration(string name, string value, bool allowZero = false)
    {
        var text = value.Trim();
        TimeSpan result;
        if (text.EndsWith("ms", StringComparison.Ordinal) && double.TryParse(text[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
        {
            result = TimeSpan.FromMilliseconds(ms);
        }
        else if (text.EndsWith('s') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var s))
        {
            result = TimeSpan.FromSeconds(s);
        }
        else if (text.EndsWith('m') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
        {
            result = TimeSpan.FromMinutes(m);
        }
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            result = TimeSpan.FromSeconds(plain);
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out result))
        {
            throw new ArgumentException($"{name}: \"{value}\" is not a duration (e.g. 20s, 500ms, 1m)");
        }

        return result > TimeSpan.Zero || (allowZero && result == TimeSpan.Zero)
            ? result
            : throw new ArgumentException($"{name} must be {(allowZero ? "zero or more" : "positive")}");
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, not \"{value}\"");

    private static double PositiveNumber(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 && double.IsFinite(n)
            ? n
            : throw new ArgumentException($"{name} must be a positive number, not \"{value}\"");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{name} must be a non-negative integer, not \"{value}\"");
}
