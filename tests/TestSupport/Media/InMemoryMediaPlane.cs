using System.Text.Json.Nodes;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Media;

namespace Coordinator.TestSupport.Media;

/// <summary>
/// An in-memory <see cref="IMediaPlane"/> for tests where the real mediasoup worker is not the
/// point. <b>It never moves media</b>: no socket is opened, ports are made up, ICE and DTLS never
/// progress and stats never count anything, unless a test plays the worker's part through
/// <see cref="InMemoryMediaRouter"/>'s <c>Emit…</c> methods.
/// <para>For everything the contract suite (tests/MediaPlane.Tests/Contract) checks it behaves like
/// the real worker plane: the same duplicate/unknown id texts, ICE/DTLS parameter shapes and rules,
/// stats shapes, events and cascades. It simulates one worker at a time with an IPv4-only address;
/// <see cref="FailWorker"/> kills it (every open router gets <c>RouterClosed</c>) and later routers
/// go to a "replacement" with a new id and certificate.</para>
/// </summary>
public sealed class InMemoryMediaPlane(string localIp = "127.0.0.1") : IMediaPlane
{
    private readonly Lock _gate = new();
    private readonly List<InMemoryMediaRouter> _routers = [];
    private int _workerNumber = 1;
    private JsonArray _fingerprints = InMemoryWebRtcParameters.NewFingerprints();
    private int _lastPort = 39999;

    /// <summary>The simulated worker new routers go to.</summary>
    public string WorkerId
    {
        get
        {
            lock (_gate)
            {
                return $"in-memory#{_workerNumber}";
            }
        }
    }

    /// <summary>When set, <see cref="CreateRouterAsync"/> fails as the real plane does with no live worker.</summary>
    public bool Unavailable { get; set; }

    /// <summary>Open routers, oldest first.</summary>
    public IReadOnlyList<InMemoryMediaRouter> Routers
    {
        get
        {
            lock (_gate)
            {
                return [.. _routers];
            }
        }
    }

    /// <summary>Routers created so far (open or not).</summary>
    public int RoutersCreated { get; private set; }

    /// <summary>No worker process runs: nothing to report.</summary>
    public MediaPlaneReport Report() => new(0, []);

    public Task<IMediaRouter> CreateRouterAsync(IMediaEventSink events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IMediaRouter>(cancellationToken);
        }

        if (Unavailable)
        {
            return Task.FromException<IMediaRouter>(new MediaPlaneException("no media worker is available (in-memory plane set unavailable)"));
        }

        lock (_gate)
        {
            var router = new InMemoryMediaRouter($"in-memory#{_workerNumber}", _fingerprints, localIp, NextPort, events, Forget);
            _routers.Add(router);
            RoutersCreated++;
            return Task.FromResult<IMediaRouter>(router);
        }
    }

    /// <summary>
    /// Simulates the death of the worker: each open router delivers <c>RouterClosed(reason)</c>
    /// and fails every later call; new routers go to a replacement worker.
    /// </summary>
    public void FailWorker(string reason = "in-memory media worker killed by the test")
    {
        InMemoryMediaRouter[] victims;
        lock (_gate)
        {
            victims = [.. _routers];
            _workerNumber++;
            _fingerprints = InMemoryWebRtcParameters.NewFingerprints();
        }

        foreach (var router in victims)
        {
            router.Kill(reason);
        }
    }

    private void Forget(InMemoryMediaRouter router)
    {
        lock (_gate)
        {
            _routers.Remove(router);
        }
    }

    /// <summary>Made-up ports in 40000–49999; nothing is bound.</summary>
    private int NextPort() => 40000 + (Interlocked.Increment(ref _lastPort) - 40000) % 10000;
}
