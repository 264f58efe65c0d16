using Coordinator.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// The bytes all sockets of this node hold for messages still arriving
/// (<see cref="GatewayOptions.MaxUnfinishedMessageBytesTotal"/>): many slow or stalled senders
/// together cannot hold more, whatever each one's own limit.
/// </summary>
public sealed class UnfinishedMessageBudget(IOptions<GatewayOptions> options)
{
    private readonly long _limit = options.Value.MaxUnfinishedMessageBytesTotal;
    private long _held;

    /// <summary>Bytes held now, by every socket together.</summary>
    public long HeldBytes => Interlocked.Read(ref _held);

    public long LimitBytes => _limit;

    /// <summary>Takes <paramref name="bytes"/> from the budget; false, taking nothing, when they do not fit.</summary>
    public bool TryTake(int bytes)
    {
        if (Interlocked.Add(ref _held, bytes) <= _limit)
        {
            return true;
        }

        Interlocked.Add(ref _held, -bytes);
        return false;
    }

    public void Give(int bytes) => Interlocked.Add(ref _held, -bytes);
}
