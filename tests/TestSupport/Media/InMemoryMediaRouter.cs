using System.Text.Json.Nodes;
using Coordinator.Grains.Media;

namespace Coordinator.TestSupport.Media;

/// <summary>
/// An <see cref="IMediaRouter"/> that keeps its objects in memory (see <see cref="InMemoryMediaPlane"/>).
/// It never moves media. Events are delivered synchronously on the calling thread before the call
/// returns, like the real router delivers a request's events before its reply. Besides the
/// interface it lets tests look at the live objects and play the worker's part: emit ICE/DTLS
/// states, effective profiles and audio levels, close a transport from the worker side, or die.
/// </summary>
public sealed partial class InMemoryMediaRouter : IMediaRouter
{
    private readonly IMediaEventSink _events;
    private readonly JsonArray _fingerprints;
    private readonly string _localIp;
    private readonly Func<int> _nextPort;
    private readonly Action<InMemoryMediaRouter> _onClosed;
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, InMemoryTransport> _transports = [];
    private readonly Dictionary<uint, InMemoryProducer> _producers = [];
    private readonly Dictionary<uint, InMemoryConsumer> _consumers = [];
    private bool _audioLevelsEnabled;
    private string? _closedReason;

    internal InMemoryMediaRouter(
        string workerId, JsonArray fingerprints, string localIp, Func<int> nextPort, IMediaEventSink events, Action<InMemoryMediaRouter> onClosed)
    {
        WorkerId = workerId;
        _fingerprints = fingerprints;
        _localIp = localIp;
        _nextPort = nextPort;
        _events = events;
        _onClosed = onClosed;
    }

    public string WorkerId { get; }

    public bool IsClosed => Locked(() => _closedReason is not null);

    /// <summary>Live transport ids.</summary>
    public IReadOnlyCollection<uint> Transports => Locked(() => _transports.Keys.ToArray());

    /// <summary>Live producer ids.</summary>
    public IReadOnlyCollection<uint> Producers => Locked(() => _producers.Keys.ToArray());

    /// <summary>Live consumer ids, enabled or not.</summary>
    public IReadOnlyCollection<uint> Consumers => Locked(() => _consumers.Keys.ToArray());

    public bool AudioLevelsEnabled => Locked(() => _audioLevelsEnabled);

    /// <summary>The transport a live consumer is enabled on, or null while it is disabled.</summary>
    public uint? ConsumerTransport(uint consumerId) => Locked(() => _consumers[consumerId].EnabledOn);

    public bool IsProducerPaused(uint producerId) => Locked(() => _producers[producerId].Paused);

    /// <summary>Simulates the death of this router's worker: <see cref="IMediaEventSink.RouterClosed"/>, then every call fails.</summary>
    public void Kill(string reason = "in-memory media worker killed by the test")
    {
        lock (_gate)
        {
            if (!CloseLocked(reason))
            {
                return;
            }

            _events.RouterClosed(reason);
        }

        _onClosed(this);
    }

    /// <summary>Like the worker's <c>effectiveprofilechange</c>, which it only emits for an enabled consumer.</summary>
    public void EmitConsumerEffectiveProfileChanged(uint consumerId, string profile)
    {
        lock (_gate)
        {
            var consumer = _consumers.TryGetValue(consumerId, out var found) ? found : throw new InvalidOperationException($"no consumer {consumerId}");
            if (consumer.EnabledOn is null)
            {
                throw new InvalidOperationException($"consumer {consumerId} is not enabled; the worker reports profiles only while enabled");
            }

            _events.ConsumerEffectiveProfileChanged(consumerId, profile);
        }
    }

    /// <summary>Like the worker's <c>icestatechange</c> (<c>new|connected|completed|disconnected</c>); transport stats follow it.</summary>
    public void EmitIceStateChanged(uint transportId, string iceState)
    {
        lock (_gate)
        {
            WebRtcTransportForTest(transportId).IceState = iceState;
            _events.IceStateChanged(transportId, iceState);
        }
    }

    /// <summary>Like the worker's <c>dtlsstatechange</c> (<c>new|connecting|connected|failed|closed</c>); transport stats follow it.</summary>
    public void EmitDtlsStateChanged(uint transportId, string dtlsState)
    {
        lock (_gate)
        {
            WebRtcTransportForTest(transportId).DtlsState = dtlsState;
            _events.DtlsStateChanged(transportId, dtlsState);
        }
    }

    /// <summary>Like the worker's 500 ms <c>audiolevels</c> (only while enabled): unknown producers dropped, loudest first.</summary>
    public void EmitAudioLevels(params AudioLevel[] levels)
    {
        lock (_gate)
        {
            if (!_audioLevelsEnabled)
            {
                throw new InvalidOperationException("audio levels are not enabled; the worker reports them only while enabled");
            }

            _events.AudioLevels([.. levels.Where(level => _producers.ContainsKey(level.ProducerId)).OrderByDescending(level => level.DBov)]);
        }
    }

    /// <summary>The worker closes a transport on its own: <see cref="IMediaEventSink.TransportClosed"/> after the usual cascade.</summary>
    public void CloseTransportFromWorker(uint transportId)
    {
        lock (_gate)
        {
            var transport = _transports.TryGetValue(transportId, out var found) ? found : throw new InvalidOperationException($"no transport {transportId}");
            ForgetTransportLocked(transport);
            _events.TransportClosed(transportId);
        }
    }

    /// <summary>Closes the router, silently (no events for our own close). Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        bool closed;
        lock (_gate)
        {
            closed = CloseLocked("the router is closed");
        }

        if (closed)
        {
            _onClosed(this);
        }

        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"in-memory router on {WorkerId}";

    private bool CloseLocked(string reason)
    {
        if (_closedReason is not null)
        {
            return false;
        }

        _closedReason = reason;
        _transports.Clear();
        _producers.Clear();
        _consumers.Clear();
        return true;
    }

    /// <summary>Runs a call under the lock: a closed router or a failed check gives a faulted task, as an async call would.</summary>
    private Task Call(Action call, CancellationToken cancellationToken) =>
        Call(
            () =>
            {
                call();
                return true;
            },
            cancellationToken);

    private Task<T> Call<T>(Func<T> call, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            lock (_gate)
            {
                if (_closedReason is not null)
                {
                    throw new MediaRouterClosedException(_closedReason);
                }

                return Task.FromResult(call());
            }
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private InMemoryTransport WebRtcTransportForTest(uint transportId) =>
        _transports.TryGetValue(transportId, out var transport) && !transport.IsPlain
            ? transport
            : throw new InvalidOperationException($"no WebRTC transport {transportId}");
}
