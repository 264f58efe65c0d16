using System.Runtime.InteropServices;
using Coordinator.Silo.Hosting;

namespace Coordinator.Gateway.Tests;

/// <summary>The C allocator maps large blocks on their own, so that freeing one gives its memory back.</summary>
public sealed class NativeHeapTests
{
    /// <summary>Under glibc's default threshold (128 KiB, raised as blocks are freed), so served from a heap unless the node's setting holds.</summary>
    private const int BlockBytes = 96 * 1024;

    /// <summary>glibc's header in front of a block that has pages of its own.</summary>
    private const int MappedHeaderBytes = 16;

    [Fact]
    public void A_block_of_96_KiB_gets_pages_of_its_own()
    {
        NativeHeap.MapLargeBlocks();
        var block = Marshal.AllocHGlobal(BlockBytes); // malloc on Linux
        try
        {
            // A block carved out of a heap is only rounded to 16 bytes; a mapped one fills whole pages, header included.
            var usable = (long)malloc_usable_size(block);
            Assert.True(usable >= BlockBytes, $"usable size {usable}");
            Assert.Equal(0, (usable + MappedHeaderBytes) % Environment.SystemPageSize);
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    [DllImport("libc")]
    private static extern nuint malloc_usable_size(IntPtr block);
}
