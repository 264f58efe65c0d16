using System.Runtime.InteropServices;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// How the C allocator (glibc's malloc) serves this process. Most of its work is the JIT compiler's:
/// each compiled method takes blocks of 64 KiB and more and frees them when done. glibc serves such
/// blocks from its heaps once it has raised its mmap threshold, and freed blocks in the middle of a
/// heap stay resident. An idle node, whose timers keep the compiler busy for minutes after start,
/// grew by about 13 MiB in two minutes that way. From 64 KiB up, a block that a heap has no free room
/// for is mapped on its own, and returned to the system when freed, instead of growing the heap.
/// </summary>
public static class NativeHeap
{
    /// <summary>glibc's <c>M_MMAP_THRESHOLD</c>; setting it also stops glibc from raising it.</summary>
    private const int MmapThresholdOption = -3;

    private const int MmapThresholdBytes = 64 * 1024;

    /// <summary>glibc's own variable for the same setting; an operator who sets it keeps it.</summary>
    private const string ThresholdVariable = "MALLOC_MMAP_THRESHOLD_";

    /// <summary>Call first thing in <c>Main</c>, before the process has compiled much.</summary>
    public static void MapLargeBlocks()
    {
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(ThresholdVariable) is null)
        {
            // mallopt answers 0 when it did not take the option (another C library): nothing else to do then.
            _ = mallopt(MmapThresholdOption, MmapThresholdBytes);
        }
    }

    [DllImport("libc")]
    private static extern int mallopt(int option, int value);
}
