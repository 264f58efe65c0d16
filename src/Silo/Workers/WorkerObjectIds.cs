namespace Coordinator.Silo.Workers;

/// <summary>
/// One id counter per worker for routers, transports, producers and consumers (docs/worker-channel.md#ids).
/// Events carry only <c>targetId</c>, so ids are unique across all object kinds of a worker. A
/// number is never handed out again while it is live (i.e. not yet <see cref="Release"/>d), even
/// after the counter wraps around.
/// </summary>
public sealed class WorkerObjectIds
{
    private readonly Lock _gate = new();
    private readonly HashSet<uint> _live = [];
    private uint _last;

    /// <param name="first">The first id handed out (0 is never used).</param>
    public WorkerObjectIds(uint first = 1)
    {
        _last = first == 0 ? 0 : first - 1;
    }

    /// <summary>Number of ids currently live.</summary>
    public int LiveCount
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>Allocates a fresh id (never 0, never a live one).</summary>
    public uint Next()
    {
        lock (_gate)
        {
            if (_live.Count == int.MaxValue)
            {
                throw new InvalidOperationException("worker object ids exhausted");
            }

            do
            {
                _last = _last == uint.MaxValue ? 1 : _last + 1;
            }
            while (!_live.Add(_last));

            return _last;
        }
    }

    /// <summary>Returns an id once the worker has closed the object. Unknown ids are ignored.</summary>
    public bool Release(uint id)
    {
        lock (_gate)
        {
            return _live.Remove(id);
        }
    }

    public bool IsLive(uint id)
    {
        lock (_gate)
        {
            return _live.Contains(id);
        }
    }

    /// <summary>Moves the counter (tests use it to exercise the wrap-around).</summary>
    internal void SetLastForTests(uint last)
    {
        lock (_gate)
        {
            _last = last;
        }
    }
}
