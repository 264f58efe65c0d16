using System.Buffers;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// The bytes of one socket's message while it arrives, in pooled chunks charged to the node's
/// <see cref="UnfinishedMessageBudget"/>. Small chunks rather than one growing array: what a stalled
/// or closed socket held goes back to a pool that keeps only a few of them, instead of megabyte
/// arrays that a pool would keep or that would wait for a full collection.
/// </summary>
internal sealed class IncomingMessage(UnfinishedMessageBudget budget, int maxBytes) : IDisposable
{
    public const int ChunkBytes = 16 * 1024;

    /// <summary>
    /// Chunks kept for reuse, at most 128 (2 MiB) for the whole process: the shared pool would keep
    /// many more after a burst. More chunks in use at once are allocated and left to the GC.
    /// </summary>
    private static readonly ArrayPool<byte> Chunks = ArrayPool<byte>.Create(ChunkBytes, maxArraysPerBucket: 128);

    private readonly List<byte[]> _chunks = [];
    private int _usedInLast = ChunkBytes;

    public int Length { get; private set; }

    /// <summary>More than the socket's limit arrived; the message is refused.</summary>
    public bool TooLarge => Length > maxBytes;

    /// <summary>
    /// Where the next bytes go: at most one past the limit, so that going over it can be seen.
    /// False when the node's budget has no room for another chunk.
    /// </summary>
    public bool TryGetSpace(out Memory<byte> space)
    {
        if (_usedInLast == ChunkBytes)
        {
            if (!budget.TryTake(ChunkBytes))
            {
                space = Memory<byte>.Empty;
                return false;
            }

            _chunks.Add(Chunks.Rent(ChunkBytes));
            _usedInLast = 0;
        }

        var room = Math.Min(ChunkBytes - _usedInLast, maxBytes + 1 - Length);
        space = _chunks[^1].AsMemory(_usedInLast, room);
        return true;
    }

    public void Advance(int count)
    {
        _usedInLast += count;
        Length += count;
    }

    /// <summary>
    /// Hands the whole message to <paramref name="read"/> as one span of memory (a copy only when it
    /// spans chunks), then empties this buffer for the next message.
    /// </summary>
    public T Consume<T>(Func<ReadOnlyMemory<byte>, T> read)
    {
        try
        {
            if (_chunks.Count <= 1)
            {
                return read(_chunks.Count == 0 ? ReadOnlyMemory<byte>.Empty : _chunks[0].AsMemory(0, Length));
            }

            var whole = ArrayPool<byte>.Shared.Rent(Length);
            try
            {
                var copied = 0;
                foreach (var chunk in _chunks)
                {
                    var count = Math.Min(ChunkBytes, Length - copied);
                    chunk.AsSpan(0, count).CopyTo(whole.AsSpan(copied));
                    copied += count;
                }

                return read(whole.AsMemory(0, Length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(whole);
            }
        }
        finally
        {
            Clear();
        }
    }

    /// <summary>Returns the chunks and their share of the budget. Only once no receive writes into them.</summary>
    public void Dispose() => Clear();

    private void Clear()
    {
        foreach (var chunk in _chunks)
        {
            Chunks.Return(chunk);
            budget.Give(ChunkBytes);
        }

        _chunks.Clear();
        _usedInLast = ChunkBytes;
        Length = 0;
    }
}
