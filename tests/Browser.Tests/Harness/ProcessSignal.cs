using System.Runtime.InteropServices;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>Sends SIGTERM to one process we started (.NET's Process.Kill only sends SIGKILL).</summary>
public static class ProcessSignal
{
    private const int SigTerm = 15;

    /// <summary>False when the process is already gone (or the signal could not be sent).</summary>
    public static bool Terminate(int processId) => kill(processId, SigTerm) == 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
