using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Peers;

/// <summary>
/// The answers to a session's last few requests and notifications by the gateway's number (one
/// count for both). A gateway sends a message again only while the first call is unanswered,
/// moments later, so a short memory is enough; the task is kept, so a repeat that arrives while the
/// first call runs waits for it.
/// </summary>
internal sealed class RecentAnswers
{
    private const int Capacity = 32;
    private readonly Dictionary<long, Task> _byNumber = [];
    private readonly Queue<long> _order = new();

    public Task<T> GetOrRun<T>(long number, Func<Task<T>> run)
    {
        if (number <= 0)
        {
            return run();
        }

        if (_byNumber.TryGetValue(number, out var earlier))
        {
            return (Task<T>)earlier;
        }

        var answer = run();
        _byNumber[number] = answer;
        _order.Enqueue(number);
        if (_order.Count > Capacity)
        {
            _byNumber.Remove(_order.Dequeue());
        }

        return answer;
    }

    public void Clear()
    {
        _byNumber.Clear();
        _order.Clear();
    }
}
