using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Tools.LoadTest;

/// <summary>A step failed; its reason is already counted. The peer stops its sequence.</summary>
public sealed class StepFailedException(string reason) : Exception(reason);

/// <summary>
/// One simulated client over a real protoo WebSocket of its own or a session of a frontend connection
/// (<see cref="IPeerChannel"/>, opened by <see cref="RunContext.OpenChannel"/>): timed requests, the
/// consumers it was told about, the notifications it counted, and the notification latencies it observes
/// as a receiver.
/// </summary>
public sealed class LoadPeer : IAsyncDisposable
{
    private readonly RunContext _context;
    private IPeerChannel _channel = null!;
    private readonly ConcurrentDictionary<uint, (string PeerName, string Kind)> _consumers = new();
    private readonly List<string> _triggerKeys = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSeq;
    private int _consumerPaused;
    private int _consumerResumed;
    private int _peerClosed;
    private int _newPeer;
    private int _newConsumer;
    private int _consumerClosed;
    private bool _closedByUs;

    private LoadPeer(RunContext context, string room, string name)
    {
        _context = context;
        Room = room;
        Name = name;
    }

    public string Room { get; }

    public string Name { get; }

    public IReadOnlyCollection<uint> ConsumerIds => [.. _consumers.Keys];

    public int ConsumerCount => _consumers.Count;

    public int ConsumerPausedCount => Volatile.Read(ref _consumerPaused);

    public int ConsumerResumedCount => Volatile.Read(ref _consumerResumed);

    public int PeerClosedCount => Volatile.Read(ref _peerClosed);

    public int NewPeerCount => Volatile.Read(ref _newPeer);

    /// <summary>Every <c>newConsumer</c> received (the consumers themselves are kept only while open).</summary>
    public int NewConsumerCount => Volatile.Read(ref _newConsumer);

    public int ConsumerClosedCount => Volatile.Read(ref _consumerClosed);

    /// <summary>True once the socket has closed, by either side (or was aborted).</summary>
    public bool SocketClosed => _channel.Closed.IsCompleted;

    /// <summary>True when the server closed the socket (not this peer's <see cref="CloseAsync"/> or dispose).</summary>
    public bool ClosedByServer => !_closedByUs && _channel.Closed.IsCompleted;

    /// <summary>The close code and reason the socket closed with, as text ("1000 bye"), or "no close frame".</summary>
    public string CloseReason => _channel.CloseCode is { } code ? $"{code} {_channel.CloseDescription}" : "no close frame";

    public static async Task<LoadPeer> ConnectAsync(RunContext context, string room, string name)
    {
        var start = Stopwatch.GetTimestamp();
        var peer = new LoadPeer(context, room, name);
        try
        {
            peer._channel = await context.OpenChannel(room, name, peer.OnFrame);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw Fail(context, $"connect: {Describe(exception)}");
        }

        context.Recorder.Step("connect", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        return peer;
    }

    /// <summary>Sends a mediasoup request and times its response; a failure is counted and thrown.</summary>
    public async Task<JsonElement> RequestAsync(JsonObject request)
    {
        var method = (string?)request["method"] ?? "?";
        var start = Stopwatch.GetTimestamp();
        JsonElement frame;
        try
        {
            frame = await _channel.RequestAsync("mediasoup-request", request);
        }
        catch (TimeoutException)
        {
            throw Fail(_context, $"{method}: no response within {_context.Options.Timeout.TotalSeconds:0.#} s");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw Fail(_context, $"{method}: {Describe(exception)}");
        }

        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (frame.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
        {
            _context.Recorder.Request(method, elapsed);
            return frame.TryGetProperty("data", out var data) ? data : default;
        }

        var code = frame.TryGetProperty("errorCode", out var errorCode) ? errorCode.ToString() : "?";
        var reason = frame.TryGetProperty("errorReason", out var errorReason) ? errorReason.ToString() : frame.ToString();
        throw Fail(_context, $"{method}: error {code} {reason}");
    }

    /// <summary>Sends a mediasoup notification (no response).</summary>
    public async Task NotifyAsync(JsonObject notification)
    {
        try
        {
            await _channel.NotifyAsync("mediasoup-notification", notification);
            _context.Recorder.NotificationSent();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw Fail(_context, $"{(string?)notification["method"]}: {Describe(exception)}");
        }
    }

    /// <summary>Notes now as the send time of what will trigger <paramref name="key"/> at other sockets.</summary>
    public void Trigger(string key)
    {
        _triggerKeys.Add(key);
        _context.Triggered(key, Stopwatch.GetTimestamp());
    }

    public async Task<JsonElement> JoinAsync()
    {
        Trigger(RunContext.Keys.NewPeer(Room, Name));
        var response = await RequestAsync(_context.Payloads.Join(Name));
        foreach (var peer in response.GetProperty("peers").EnumerateArray())
        {
            var peerName = peer.GetProperty("name").GetString()!;
            foreach (var consumer in peer.GetProperty("consumers").EnumerateArray())
            {
                _consumers.TryAdd(consumer.GetProperty("id").GetUInt32(), (peerName, consumer.GetProperty("kind").GetString()!));
            }
        }

        Pulse();
        return response;
    }

    /// <summary>createTransport from the captured payload; checks that the worker gave UDP and TCP candidates.</summary>
    public async Task<uint> CreateTransportAsync(bool send)
    {
        var id = _context.NextId();
        var response = await RequestAsync(_context.Payloads.CreateTransport(send, id));
        var protocols = response.TryGetProperty("iceCandidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array
            ? candidates.EnumerateArray().Select(c => c.TryGetProperty("protocol", out var p) ? p.GetString() : null).ToHashSet()
            : [];
        if (!protocols.Contains("udp") || !protocols.Contains("tcp"))
        {
            throw Fail(_context, "createTransport: the response lacks a UDP or a TCP candidate");
        }

        return id;
    }

    public async Task<uint> CreateProducerAsync(string kind, uint transportId)
    {
        var id = _context.NextId();
        Trigger(RunContext.Keys.NewConsumer(Room, Name, kind));
        await RequestAsync(_context.Payloads.CreateProducer(kind, id, transportId));
        return id;
    }

    /// <summary>Sends <c>leave</c> (timing <c>peerClosed</c> at the others) and closes the socket (timed as <c>close</c>).</summary>
    public async Task LeaveAndCloseAsync()
    {
        Trigger(RunContext.Keys.PeerClosed(Room, Name));
        await NotifyAsync(CapturedPayloads.PeerNotification("leave"));
        await CloseAsync();
    }

    public async Task CloseAsync()
    {
        if (_channel.CloseCode is not null)
        {
            throw Fail(_context, $"socket closed by the server: {CloseReason}");
        }

        _closedByUs = true;
        var start = Stopwatch.GetTimestamp();
        try
        {
            await _channel.CloseAsync();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw Fail(_context, $"close: {Describe(exception)}");
        }

        _context.Recorder.Step("close", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    /// <summary>Waits until <paramref name="condition"/> holds (re-checked on every notification), or counts <paramref name="what"/> as an error.</summary>
    public async Task WaitUntilAsync(Func<LoadPeer, bool> condition, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_context.Options.Timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition(this))
            {
                return;
            }

            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero || _channel.CloseCode is not null)
            {
                throw Fail(_context, $"{what} did not arrive within {_context.Options.Timeout.TotalSeconds:0} s");
            }

            try
            {
                await changed.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _context.Retire(_triggerKeys);
        if (_channel is null)
        {
            return;
        }

        if (!_closedByUs && _channel.CloseCode is null)
        {
            _closedByUs = true;
            try
            {
                await _channel.CloseAsync();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
            }
        }

        await _channel.DisposeAsync();
    }

    private static StepFailedException Fail(RunContext context, string reason)
    {
        context.Recorder.Error(reason);
        return new StepFailedException(reason);
    }

    private static string Describe(Exception exception) => exception switch
    {
        TimeoutException => "timed out",
        System.Net.WebSockets.WebSocketException ws => $"WebSocket {ws.WebSocketErrorCode}: {ws.Message}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };

    private void Pulse() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>On the receive loop: keep it short, keep nothing of the frame. Checks the seq numbering, times and counts notifications.</summary>
    private void OnFrame(JsonElement frame, long arrival)
    {
        try
        {
            Observe(frame, arrival);
        }
        catch (Exception exception) when (exception is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            _context.Recorder.Error($"malformed notification: {exception.Message}");
        }
    }

    private void Observe(JsonElement frame, long arrival)
    {
        if (frame.TryGetProperty("seq", out var seqElement) && seqElement.TryGetInt64(out var seq))
        {
            if (seq != _lastSeq + 1)
            {
                _context.Recorder.Error($"notification seq gap: expected {_lastSeq + 1}, got {seq}");
            }

            _lastSeq = seq;
        }

        var data = frame.GetProperty("data");
        switch (data.TryGetProperty("method", out var m) ? m.GetString() : null)
        {
            case "newPeer":
                _context.Arrived("newPeer", RunContext.Keys.NewPeer(Room, data.GetProperty("name").GetString()!), arrival);
                Interlocked.Increment(ref _newPeer);
                Pulse();
                break;
            case "newConsumer":
                {
                    var producerPeer = data.GetProperty("peerName").GetString()!;
                    var kind = data.GetProperty("kind").GetString()!;
                    _consumers.TryAdd(data.GetProperty("id").GetUInt32(), (producerPeer, kind));
                    _context.Arrived("newConsumer", RunContext.Keys.NewConsumer(Room, producerPeer, kind), arrival);
                    Interlocked.Increment(ref _newConsumer);
                    Pulse();
                    break;
                }

            case "consumerClosed":
                _consumers.TryRemove(data.GetProperty("id").GetUInt32(), out _);
                Interlocked.Increment(ref _consumerClosed);
                Pulse();
                break;

            case "consumerPaused":
                _context.Arrived("consumerPaused", RunContext.Keys.ConsumerPaused(Room, data.GetProperty("peerName").GetString()!), arrival);
                Interlocked.Increment(ref _consumerPaused);
                Pulse();
                break;
            case "consumerResumed":
                _context.Arrived("consumerResumed", RunContext.Keys.ConsumerResumed(Room, data.GetProperty("peerName").GetString()!), arrival);
                Interlocked.Increment(ref _consumerResumed);
                Pulse();
                break;
            case "peerClosed":
                _context.Arrived("peerClosed", RunContext.Keys.PeerClosed(Room, data.GetProperty("name").GetString()!), arrival);
                Interlocked.Increment(ref _peerClosed);
                Pulse();
                break;
            case "closed":
                _context.Recorder.Error("closed: the server closed the peer");
                Pulse();
                break;
        }
    }
}
