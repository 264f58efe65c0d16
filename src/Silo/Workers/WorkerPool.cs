using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Coordinator.Silo.Workers;

/// <summary>
/// Runs <see cref="WorkerOptions.Count"/> mediasoup workers for the silo (a hosted service).
/// <list type="bullet">
/// <item>Startup fails, with a message that says how to get a binary or what the worker printed,
/// if the binary is missing or any worker fails to start: the silo never pretends to serve media.</item>
/// <item>Each worker has a fixed slot: its share of the RTC port range (split like the Node lib) is
/// reused by its replacements. Worker ids are <c>&lt;prefix&gt;#&lt;n&gt;</c> with n counting every start.</item>
/// <item>An unexpected termination (process exit or channel EOF, noticed within milliseconds) raises
/// <see cref="WorkerDied"/> and starts a replacement in the same slot, retrying with backoff
/// (0.5 s doubling up to 30 s) if that fails.</item>
/// <item><see cref="AcquireForRouter"/> places a new router on the live worker with the fewest
/// routers; ties go round robin, so an idle pool still spreads rooms over all workers.</item>
/// <item>Stopping stops every worker (SIGTERM, then SIGKILL after the grace period). If the silo
/// is killed instead, the workers exit on their own because their channels reach EOF.</item>
/// </list>
/// </summary>
public sealed class WorkerPool : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly WorkerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _supervisors = [];
    private Slot[] _slots = [];
    private string _binaryPath = string.Empty;
    private string _idPrefix = string.Empty;
    private int _startCount;
    private int _roundRobin;
    private int _state; // 0 new, 1 started, 2 stopped

    public WorkerPool(IOptions<WorkerOptions> options, ILoggerFactory? loggerFactory = null)
    {
        _options = options.Value;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<WorkerPool>();
    }

    /// <summary>
    /// Raised (on a thread-pool thread) when a worker terminates unexpectedly. All routers, transports,
    /// producers and consumers that lived on it are gone; the rooms using them must be closed.
    /// A replacement is started right after the handlers return.
    /// </summary>
    public event EventHandler<WorkerDiedEventArgs>? WorkerDied;

    /// <summary>Raised when a worker has started, including replacements.</summary>
    public event EventHandler<MediaWorker>? WorkerStarted;

    /// <summary>The binary the pool runs (set by <see cref="StartAsync"/>).</summary>
    public string BinaryPath => _binaryPath;

    /// <summary>The workers the pool keeps running (alive, or restarting after a death).</summary>
    public int ConfiguredCount
    {
        get
        {
            lock (_gate)
            {
                return _slots.Length;
            }
        }
    }

    /// <summary>The workers currently alive.</summary>
    public IReadOnlyList<MediaWorker> Workers
    {
        get
        {
            lock (_gate)
            {
                return [.. _slots.Select(s => s.Worker).OfType<MediaWorker>().Where(w => w.IsAlive)];
            }
        }
    }

    /// <summary>
    /// Chooses the worker for a new router: the live worker with the fewest routers, ties broken
    /// round robin. Dispose the lease when the router is closed.
    /// </summary>
    /// <exception cref="InvalidOperationException">No worker is alive (all are restarting) or the pool is not running.</exception>
    public WorkerLease AcquireForRouter()
    {
        lock (_gate)
        {
            if (_state != 1)
            {
                throw new InvalidOperationException("the media worker pool is not running");
            }

            MediaWorker? best = null;
            for (var i = 0; i < _slots.Length; i++)
            {
                var candidate = _slots[(_roundRobin + i) % _slots.Length].Worker;
                if (candidate is { IsAlive: true } && (best is null || candidate.RouterCount < best.RouterCount))
                {
                    best = candidate;
                }
            }

            if (best is null)
            {
                throw new InvalidOperationException(
                    $"no media worker is available (all {_slots.Length} are down or restarting)");
            }

            _roundRobin = (Array.FindIndex(_slots, s => s.Worker == best) + 1) % _slots.Length;
            return new WorkerLease(best);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("the media worker pool was already started");
        }

        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new WorkerStartException($"invalid media worker settings: {string.Join("; ", errors)}");
        }

        var binary = _options.ResolveBinaryPath(out var searched);
        if (binary is null)
        {
            throw new WorkerStartException(
                $"mediasoup-worker {WorkerOptions.WorkerVersion} binary not found (looked at: {string.Join(", ", searched)}). " +
                $"To get one: {WorkerOptions.HowToGetBinary}.");
        }

        _binaryPath = binary;
        _idPrefix = _options.EffectiveIdPrefix();
        var slots = new Slot[_options.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = new Slot(i + 1, WorkerArguments.PortRangeFor(i + 1, slots.Length, _options.RtcMinPort, _options.RtcMaxPort));
        }

        lock (_gate)
        {
            _slots = slots;
        }

        _logger.LogInformation("starting {Count} mediasoup workers from {Binary}", slots.Length, binary);
        var starts = slots.Select(slot => StartWorkerAsync(slot, cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(starts).ConfigureAwait(false);
        }
        catch
        {
            var failure = starts.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault();
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            if (failure is WorkerStartException)
            {
                throw new WorkerStartException($"the media worker pool cannot start: {failure.Message}", failure);
            }

            throw;
        }

        foreach (var slot in slots)
        {
            Supervise(slot, slot.Worker!);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        MediaWorker[] workers;
        Task[] supervisors;
        lock (_gate)
        {
            if (_state == 2)
            {
                return;
            }

            _state = 2;
            workers = [.. _slots.Select(s => s.Worker).OfType<MediaWorker>()];
            supervisors = [.. _supervisors];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(workers.Select(w => w.StopAsync(cancellationToken))).ConfigureAwait(false);
        await Task.WhenAll(supervisors).ConfigureAwait(false);
        if (workers.Length > 0)
        {
            _logger.LogInformation("stopped {Count} mediasoup workers", workers.Length);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task<MediaWorker> StartWorkerAsync(Slot slot, CancellationToken cancellationToken)
    {
        var id = $"{_idPrefix}#{Interlocked.Increment(ref _startCount)}";
        var worker = await MediaWorker.StartAsync(
                WorkerStartInfo.FromOptions(_options, _binaryPath, id, slot.Ports),
                _loggerFactory,
                cancellationToken)
            .ConfigureAwait(false);
        bool keep;
        lock (_gate)
        {
            keep = _state == 1;
            if (keep)
            {
                slot.Worker = worker;
            }
        }

        if (!keep)
        {
            await worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw new OperationCanceledException("the media worker pool is stopping");
        }

        RaiseSafely(() => WorkerStarted?.Invoke(this, worker), "WorkerStarted");
        return worker;
    }

    private void Supervise(Slot slot, MediaWorker worker)
    {
        lock (_gate)
        {
            if (_state != 1)
            {
                return;
            }

            _supervisors.RemoveAll(t => t.IsCompleted);
            _supervisors.Add(Task.Run(() => SuperviseAsync(slot, worker)));
        }
    }

    private async Task SuperviseAsync(Slot slot, MediaWorker worker)
    {
        var reason = await worker.Terminated.ConfigureAwait(false);
        if (worker.IsStopping || _stopping.IsCancellationRequested)
        {
            return;
        }

        lock (_gate)
        {
            if (slot.Worker == worker)
            {
                slot.Worker = null;
            }
        }

        _logger.LogError("mediasoup-worker {WorkerId} died unexpectedly: {Reason}; starting a replacement", worker.Id, reason);
        RaiseSafely(() => WorkerDied?.Invoke(this, new WorkerDiedEventArgs(worker, reason)), "WorkerDied");

        var delay = FirstRetryDelay;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var replacement = await StartWorkerAsync(slot, _stopping.Token).ConfigureAwait(false);
                Supervise(slot, replacement);
                _logger.LogInformation("mediasoup-worker {WorkerId} replaces {DeadWorkerId}", replacement.Id, worker.Id);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "cannot start a replacement for mediasoup-worker {WorkerId}; retrying in {Delay} s", worker.Id, delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private void RaiseSafely(Action raise, string name)
    {
        try
        {
            raise();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "a {Event} handler failed", name);
        }
    }

    private sealed class Slot(int index, PortRange ports)
    {
        public int Index { get; } = index;

        public PortRange Ports { get; } = ports;

        public MediaWorker? Worker { get; set; }
    }
}
