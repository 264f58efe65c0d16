namespace Coordinator.Silo.Workers;

/// <summary>A small thread-safe ring of the last lines a worker printed, for error messages.</summary>
internal sealed class RecentLines(int capacity = 20)
{
    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }
}
