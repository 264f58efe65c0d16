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

    /// <summary>A room of idle peers; a few more create and close producers in a loop; the server's memory before, during and after.</summary>
    Storm,

    /// <summary>The sequence workload against the reference server and Coordinator, alternating, and the ratio.</summary>
    Compare,

    /// <summary>The sequence workload, each sequence a session of one frontend connection instead of a socket of its own.</summary>
    Frontend,
}

/// <summary>Command-line options; <see cref="Parse"/> reads them, the <c>Effective*</c> members apply the per-mode defaults.</summary>
public sealed record LoadOptions
{
    public const string Usage = """
        usage: LoadTest [--mode full|sequence|join-large|idle|storm|compare|frontend] [--url ws://127.0.0.1:4443]
                        [--rooms R] [--peers P] [--iterations N] [--duration 20s] [--connections C]
                        [--warmup 2s] [--warmup-joins 5] [--rate S] [--token-key <base64 HS256 key>]
                        [--session <file>] [--json <file>] [--timeout 10s] [--server-pid <pid>] [--quiet]
                        storm:   [--storm-peers 4] [--after 60s] [--app-data 3900]
                        compare: --reference-url <ws://...> [--reference-pid <pid>] [--rounds 2] [--first-warmup 60s]

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
          --mode storm       the notification storm: --peers (20) idle peers join one room and keep reading;
                             --storm-peers (4) more join, create a send transport, and each loops createProducer
                             (audio, an appData of --app-data (3900) bytes as JSON) then closeProducer, --rate
                             (45) times a second, for --duration (60s). With --server-pid, the server's memory is
                             sampled every second: before the storm (after --warmup (5s) of settling), its
                             maximum during it, and --after (60s) after it, against the targets (max ≤ 1.5×
                             before; after ≤ before + 50 MiB). Each loop sends 2 messages: keep 2 × --rate under
                             the server's per-socket message rate (Coordinator: 100/s by default).
          --mode compare     the sequence workload (rooms of --peers (4)) against two servers started beforehand,
                             back to back: for each --connections value (a list, default 64,16), --rounds (2)
                             times, a run against the reference (--reference-url, --reference-pid) then one
                             against Coordinator (--url, --server-pid), each --warmup (5s) then --duration (20s);
                             each server's first run warms up for --first-warmup (60s). One row per run and the
                             ratio Coordinator ÷ reference per connection count.
          --mode frontend    the sequence workload of --mode sequence (same requests, same checks), but every
                             peer is a session of one frontend connection (/frontend, docs/frontend-api.md)
                             instead of a protoo socket of its own: --connections (1000) sessions in flight, in
                             rooms of --peers (4); connect is openSession, close is closeSession. --duration
                             (20s), --warmup (2s), --iterations and --rate as in sequence; with --token-key, the
                             connection presents a frontend token (every room).
          --duration         seconds ("20", "20s", "500ms", "1m"); with --iterations, whichever ends first.
          --token-key        mint an HS256 join token (grants publish, subscribe) for every socket.
          --session          a captured client session to take the payloads from (default: the real Chromium
                             session built into the tool, tests/data/client/chromium156-mediasoup2.6.19-session.json).
          --server-pid       also report the CPU used by that process and its children (the node and its workers),
                             and their memory (VmRSS) at the start of the measured part, its peak and at the end.
          Every socket is a file: a run fails at once if this process (or --server-pid) cannot open them all.
        """;


    public LoadMode Mode { get; init; } = LoadMode.Full;

    public Uri Url { get; init; } = new("ws://127.0.0.1:4443");

    public int? Rooms { get; init; }

    public int? Peers { get; init; }

    public int? Iterations { get; init; }

    public TimeSpan? Duration { get; init; }

    public int? Connections { get; init; }

    /// <summary>Compare mode: every value of <c>--connections 64,16</c> (a single value also sets <see cref="Connections"/>).</summary>
    public IReadOnlyList<int>? ConnectionCounts { get; init; }

    public TimeSpan? Warmup { get; init; }

    public int WarmupJoins { get; init; } = 5;

    /// <summary>Sequence mode: sequences started per second across all connections (null: as fast as they complete). Storm: loops per second per storming peer.</summary>
    public double? Rate { get; init; }

    /// <summary>Storm: the peers that create and close producers (the idle ones are <see cref="Peers"/>).</summary>
    public int? StormPeers { get; init; }

    /// <summary>Storm: how long to keep sampling memory after the storm.</summary>
    public TimeSpan? After { get; init; }

    /// <summary>Storm: the size of each producer's appData, as JSON text.</summary>
    public int? AppDataBytes { get; init; }

    /// <summary>Compare: the reference server.</summary>
    public Uri? ReferenceUrl { get; init; }

    /// <summary>Compare: the reference server's process (its CPU and memory, with its worker).</summary>
    public int? ReferencePid { get; init; }

    /// <summary>Compare: runs against each server at each connection count.</summary>
    public int? Rounds { get; init; }

    /// <summary>Compare: the warm-up of each server's first run.</summary>
    public TimeSpan? FirstWarmup { get; init; }

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
        LoadMode.Storm => 20,
        _ => 4,
    };

    /// <summary>Sockets in flight; in storm, every peer of the room (idle and storming).</summary>
    public int EffectiveConnections => Mode == LoadMode.Storm ? EffectivePeers + EffectiveStormPeers : Connections ?? Mode switch
    {
        LoadMode.Sequence => 64,
        LoadMode.Frontend => 1000,
        LoadMode.Compare => EffectiveConnectionCounts[0],
        LoadMode.JoinLarge => 1,
        LoadMode.Idle => 5000,
        _ => EffectiveRooms * EffectivePeers,
    };

    public IReadOnlyList<int> EffectiveConnectionCounts => ConnectionCounts ?? (Mode == LoadMode.Compare ? [64, 16] : [EffectiveConnections]);

    public int EffectiveStormPeers => StormPeers ?? 4;

    public double? EffectiveRate => Rate ?? (Mode == LoadMode.Storm ? 45 : null);

    public TimeSpan EffectiveAfter => After ?? TimeSpan.FromSeconds(60);

    public int EffectiveAppDataBytes => AppDataBytes ?? 3900;

    public int EffectiveRounds => Rounds ?? 2;

    /// <summary>
    /// A fresh node's tiered JIT compiler keeps working for 35–40 s of load at 64 in flight on a
    /// 2-core machine (docs/performance.md#warm-up-the-jit-compilers-first-40-seconds): 60 s ends after it.
    /// </summary>
    public TimeSpan EffectiveFirstWarmup => FirstWarmup ?? TimeSpan.FromSeconds(60);

    /// <summary>Full: rounds per room; sequence: sequences per connection (null: until the duration); join-large: timed joins; idle: none.</summary>
    public int? EffectiveIterations => Iterations ?? Mode switch
    {
        LoadMode.Full => Duration is null ? 1 : null,
        LoadMode.JoinLarge => 100,
        _ => null,
    };

    /// <summary>Sequence and full: how long to run; idle: how long to wait, all peers joined, before sampling memory.</summary>
    public TimeSpan? EffectiveDuration => Duration ?? Mode switch
    {
        LoadMode.Sequence or LoadMode.Frontend when Iterations is null => TimeSpan.FromSeconds(20),
        LoadMode.Compare => TimeSpan.FromSeconds(20),
        LoadMode.Storm => TimeSpan.FromSeconds(60),
        _ => null,
    };

    /// <summary>Sequence and compare: not counted; storm: the settling before the pre-storm memory is read.</summary>
    public TimeSpan EffectiveWarmup => Warmup ?? Mode switch
    {
        LoadMode.Sequence or LoadMode.Frontend => TimeSpan.FromSeconds(2),
        LoadMode.Compare or LoadMode.Storm => TimeSpan.FromSeconds(5),
        _ => TimeSpan.Zero,
    };

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
                "--connections" => WithConnections(options, name, value),
                "--warmup" => options with { Warmup = ParseDuration(name, value, allowZero: true) },
                "--warmup-joins" => options with { WarmupJoins = NonNegative(name, value) },
                "--rate" => options with { Rate = PositiveNumber(name, value) },
                "--token-key" => options with { TokenKey = value },
                "--session" => options with { SessionPath = value },
                "--json" => options with { JsonPath = value },
                "--timeout" => options with { Timeout = ParseDuration(name, value) },
                "--server-pid" => options with { ServerPid = Positive(name, value) },
                "--storm-peers" => options with { StormPeers = Positive(name, value) },
                "--after" => options with { After = ParseDuration(name, value, allowZero: true) },
                "--app-data" => options with { AppDataBytes = Positive(name, value) },
                "--reference-url" => options with { ReferenceUrl = new Uri(value) },
                "--reference-pid" => options with { ReferencePid = Positive(name, value) },
                "--rounds" => options with { Rounds = Positive(name, value) },
                "--first-warmup" => options with { FirstWarmup = ParseDuration(name, value, allowZero: true) },
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

        if (options.Mode is not (LoadMode.Sequence or LoadMode.Frontend or LoadMode.Storm) && options.Rate is not null)
        {
            throw new ArgumentException("--rate applies to --mode sequence, frontend and storm only");
        }

        if (options.Mode != LoadMode.Storm && (options.StormPeers is not null || options.AppDataBytes is not null || options.After is not null))
        {
            throw new ArgumentException("--storm-peers, --after and --app-data apply to --mode storm only");
        }

        if (options.Mode == LoadMode.Storm && (options.Connections is not null || options.Iterations is not null))
        {
            throw new ArgumentException("--connections and --iterations do not apply to --mode storm (--peers idle peers, --storm-peers storming ones, for --duration)");
        }

        if (options.Mode != LoadMode.Compare && (options.ReferenceUrl is not null || options.ReferencePid is not null || options.Rounds is not null || options.FirstWarmup is not null))
        {
            throw new ArgumentException("--reference-url, --reference-pid, --rounds and --first-warmup apply to --mode compare only");
        }

        if (options.Mode == LoadMode.Compare && options.ReferenceUrl is null)
        {
            throw new ArgumentException("--mode compare needs --reference-url (the reference server; --url is Coordinator)");
        }

        if (options.Mode == LoadMode.Compare && options.Iterations is not null)
        {
            throw new ArgumentException("--iterations does not apply to --mode compare (each run lasts --duration)");
        }

        if (options.Mode != LoadMode.Compare && options.ConnectionCounts is { Count: > 1 })
        {
            throw new ArgumentException("a list of --connections applies to --mode compare only");
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
        "storm" => LoadMode.Storm,
        "compare" => LoadMode.Compare,
        "frontend" => LoadMode.Frontend,
        _ => throw new ArgumentException($"--mode must be full, sequence, join-large, idle, storm, compare or frontend, not \"{value}\""),
    };

    public static string ModeName(LoadMode mode) => mode switch
    {
        LoadMode.Sequence => "sequence",
        LoadMode.JoinLarge => "join-large",
        LoadMode.Idle => "idle",
        LoadMode.Storm => "storm",
        LoadMode.Compare => "compare",
        LoadMode.Frontend => "frontend",
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

    /// <summary>"64" or a list "64,16" (each value positive, none twice).</summary>
    private static LoadOptions WithConnections(LoadOptions options, string name, string value)
    {
        var counts = value.Split(',').Select(part => Positive(name, part.Trim())).ToArray();
        if (counts.Distinct().Count() != counts.Length)
        {
            throw new ArgumentException($"{name}: \"{value}\" names a value twice");
        }

        return options with { Connections = counts[0], ConnectionCounts = counts };
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
