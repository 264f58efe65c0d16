using System.Runtime.InteropServices;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The process's exit code says whether it was asked to stop. A host also stops when a background
/// service fails or the silo gives up, and would exit with 0, which a supervisor reads as "done,
/// do not restart". So the code is <see cref="Unexpected"/> unless a stop signal (SIGTERM, SIGINT,
/// SIGQUIT) arrived; a component that stops the host for a reason of its own sets its own code.
/// </summary>
public static class StopExitCode
{
    /// <summary>EX_SOFTWARE: stopped without being asked to.</summary>
    public const int Unexpected = 70;

    private static readonly List<PosixSignalRegistration> Registrations = [];

    /// <summary>Call once at start, before the host runs.</summary>
    public static void ZeroOnlyWhenAskedToStop()
    {
        Environment.ExitCode = Unexpected;
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            // The host's own handler still runs (nothing is cancelled) and starts the graceful stop.
            Registrations.Add(PosixSignalRegistration.Create(signal, _ =>
            {
                if (Environment.ExitCode == Unexpected)
                {
                    Environment.ExitCode = 0;
                }
            }));
        }
    }
}
