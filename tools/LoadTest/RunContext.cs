using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Coordinator.Tools.LoadTest;

/// <summary>
/// What every simulated peer of one run shares: options, captured payloads, the recorder (replaced
/// once the warm-up ends), unique ids, and the send times of the messages that trigger notifications.
/// </summary>
public sealed class RunContext
{
    private static readonly TimeSpan TraceRetention = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, long> _triggers = new();
    private readonly ConcurrentQueue<(long RetiredAt, IReadOnlyList<string> Keys)> _retired = new();
    private readonly byte[]? _tokenKey;
    private readonly Action? _onMeasurementStart;
    private readonly Action? _onMeasurementEnd;
    private Recorder _recorder = new();
    private long _nextId = Random.Shared.Next(1_000_000, 100_000_000);

    public RunContext(LoadOptions options, CapturedPayloads payloads, CancellationToken stop, Action? onMeasurementStart = null, Action? onMeasurementEnd = null)
    {
        _onMeasurementStart = onMeasurementStart;
        _onMeasurementEnd = onMeasurementEnd;
        Options = options;
        Payloads = payloads;
        Stop = stop;
        RunId = Guid.NewGuid().ToString("N")[..8];
        OpenChannel = async (room, name, onNotification) => await LoadSocket.ConnectAsync(PeerUri(room, name), onNotification, options.Timeout);
        if (options.TokenKey is { } key)
        {
            _tokenKey = Convert.FromBase64String(key);
            if (_tokenKey.Length < 32)
            {
                throw new ArgumentException("--token-key must be a base64 key of at least 32 bytes");
            }
        }
    }

    public LoadOptions Options { get; }

    public CapturedPayloads Payloads { get; }

    /// <summary>Set when no new work may start (duration over, or interrupted).</summary>
    public CancellationToken Stop { get; }

    /// <summary>A short random id that keeps this run's room names apart from any other run's.</summary>
    public string RunId { get; }

    public Recorder Recorder => Volatile.Read(ref _recorder);

    /// <summary>How a peer reaches the server: a protoo socket of its own (the default), or a session of a frontend connection.</summary>
    internal PeerChannelOpener OpenChannel { get; set; }

    /// <summary>When the measured part began (the end of the warm-up), in Stopwatch ticks.</summary>
    public long MeasurementStart { get; private set; } = Stopwatch.GetTimestamp();

    public bool WarmedUp { get; private set; }

    /// <summary>When the measured part ended, if a scenario ended it before its own end (storm: before the after-period), in Stopwatch ticks.</summary>
    public long? MeasurementEnd { get; private set; }

    /// <summary>A few words the progress line ends with (e.g. the storm's phase and the server's memory), or null.</summary>
    public Func<string?>? ProgressNote { get; set; }

    /// <summary>Ends the warm-up: what was recorded so far is dropped.</summary>
    public void BeginMeasurement()
    {
        MeasurementStart = Stopwatch.GetTimestamp();
        WarmedUp = true;
        _onMeasurementStart?.Invoke();
        Volatile.Write(ref _recorder, new Recorder());
    }

    /// <summary>Ends the measured part before the scenario's end: rates and CPU figures cover what came before.</summary>
    public void EndMeasurement()
    {
        MeasurementEnd = Stopwatch.GetTimestamp();
        _onMeasurementEnd?.Invoke();
    }

    /// <summary>A transport or producer id, unique within the run (ids are unique per room on the server).</summary>
    public uint NextId() => (uint)(Interlocked.Increment(ref _nextId) % uint.MaxValue) + 1;

    public Uri PeerUri(string roomId, string peerName)
    {
        var query = $"/?roomId={Uri.EscapeDataString(roomId)}&peerName={Uri.EscapeDataString(peerName)}";
        if (_tokenKey is not null)
        {
            query += $"&token={JoinTokens.Mint(_tokenKey, roomId, peerName, TimeSpan.FromHours(1))}";
        }

        return new Uri(Options.Url, query);
    }

    /// <summary>With <c>--token-key</c>, a token for a frontend connection (grant <c>frontend</c>, every room); else null (development mode).</summary>
    public string? FrontendToken() =>
        _tokenKey is null ? null : JoinTokens.Mint(_tokenKey, "*", "load-test", TimeSpan.FromHours(1), "frontend");

    /// <summary>Notes the send time of a message whose notification <paramref name="key"/> other sockets will receive.</summary>
    public void Triggered(string key, long timestamp) => _triggers[key] = timestamp;

    /// <summary>Records the notification's delivery latency if its trigger is known.</summary>
    public void Arrived(string method, string key, long arrival)
    {
        if (_triggers.TryGetValue(key, out var sent))
        {
            Recorder.Notification(method, Stopwatch.GetElapsedTime(sent, arrival).TotalMilliseconds);
        }
    }

    /// <summary>The keys of a finished peer: kept a while for late arrivals at other sockets, then forgotten.</summary>
    public void Retire(IReadOnlyList<string> keys)
    {
        if (keys.Count > 0)
        {
            _retired.Enqueue((Stopwatch.GetTimestamp(), keys));
        }
    }

    /// <summary>Forgets the triggers retired long enough ago (called about once a second).</summary>
    public void Sweep()
    {
        while (_retired.TryPeek(out var oldest) && Stopwatch.GetElapsedTime(oldest.RetiredAt) > TraceRetention && _retired.TryDequeue(out oldest))
        {
            foreach (var key in oldest.Keys)
            {
                _triggers.TryRemove(key, out _);
            }
        }
    }

    public static class Keys
    {
        public static string NewPeer(string room, string peer) => $"newPeer/{room}/{peer}";

        public static string NewConsumer(string room, string producerPeer, string kind) => $"newConsumer/{room}/{producerPeer}/{kind}";

        public static string ConsumerPaused(string room, string producerPeer) => $"consumerPaused/{room}/{producerPeer}";

        public static string ConsumerResumed(string room, string producerPeer) => $"consumerResumed/{room}/{producerPeer}";

        public static string PeerClosed(string room, string peer) => $"peerClosed/{room}/{peer}";
    }
}

/// <summary>HS256 join tokens as the gateway validates them: claims <c>room</c>, <c>peer</c>, <c>grants</c>, <c>exp</c>.</summary>
public static class JoinTokens
{
    private static readonly string Header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);

    public static string Mint(byte[] key, string roomId, string peerName, TimeSpan lifetime, params string[] grants)
    {
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["room"] = roomId,
            ["peer"] = peerName,
            ["grants"] = grants.Length == 0 ? ["publish", "subscribe"] : grants,
            ["exp"] = DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeSeconds(),
        });
        var signed = $"{Header}.{Base64Url(claims)}";
        return $"{signed}.{Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed)))}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
