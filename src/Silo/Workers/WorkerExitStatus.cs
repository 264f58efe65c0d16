using Coordinator.Silo.Workers.Native;

namespace Coordinator.Silo.Workers;

/// <summary>How a worker process ended, decoded from its <c>waitpid</c> status.</summary>
/// <param name="ExitCode">The exit code when the process exited normally.</param>
/// <param name="Signal">The terminating signal when the process was killed.</param>
/// <param name="Detail">Set when the status could not be read.</param>
public readonly record struct WorkerExitStatus(int? ExitCode, int? Signal, string? Detail = null)
{
    /// <summary>True for a plain <c>exit(0)</c>, which is what SIGTERM and channel EOF produce.</summary>
    public bool IsCleanExit => ExitCode == 0;

    public static WorkerExitStatus FromWaitStatus(int status)
    {
        var termSignal = status & 0x7f;
        if (termSignal == 0)
        {
            return new WorkerExitStatus((status >> 8) & 0xff, null);
        }

        return termSignal != 0x7f
            ? new WorkerExitStatus(null, termSignal)
            : new WorkerExitStatus(null, null, $"stopped (raw status 0x{status:x})");
    }

    public static WorkerExitStatus Unknown(string detail) => new(null, null, detail);

    public override string ToString() =>
        ExitCode is { } code ? $"exited with code {code}"
        : Signal is { } signal ? $"killed by {Libc.SignalName(signal)} ({signal})"
        : $"exit status unknown ({Detail})";
}
