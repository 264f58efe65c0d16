namespace Coordinator.Silo.Workers;

/// <summary>What is needed to start one worker process.</summary>
/// <param name="BinaryPath">The <c>mediasoup-worker</c> executable.</param>
/// <param name="Arguments">argv[1..]: the worker id first, then the <c>--key=value</c> settings (see <see cref="WorkerArguments"/>).</param>
public sealed record WorkerStartInfo(string BinaryPath, IReadOnlyList<string> Arguments)
{
    /// <summary>The worker id (argv[1]).</summary>
    public string WorkerId => Arguments.Count > 0 ? Arguments[0] : throw new InvalidOperationException("argv[1] (the worker id) is missing");

    /// <summary>Default timeout of the channel's requests (also bounds the startup probe).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Grace period between SIGTERM and SIGKILL in <see cref="MediaWorker.StopAsync"/>.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The RTC port range in <see cref="Arguments"/>, for information.</summary>
    public PortRange? Ports { get; init; }

    /// <summary>Builds the start info of a worker from the pool settings.</summary>
    public static WorkerStartInfo FromOptions(WorkerOptions options, string binaryPath, string workerId, PortRange ports) =>
        new(binaryPath, WorkerArguments.Build(options, workerId, ports))
        {
            RequestTimeout = options.RequestTimeout,
            StopTimeout = options.StopTimeout,
            Ports = ports,
        };
}
