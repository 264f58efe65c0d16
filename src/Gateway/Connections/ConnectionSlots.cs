using Coordinator.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// The WebSocket connections this gateway may hold at once (browser sockets and frontend
/// connections together, <see cref="GatewayOptions.MaxConnections"/>): each holds buffers in the
/// gateway and in Kestrel, so their number is what bounds that memory in total.
/// </summary>
internal sealed class ConnectionSlots(IOptions<GatewayOptions> options)
{
    private int _taken;

    public int Limit => options.Value.MaxConnections;

    /// <summary>Slots held now (a refused attempt counts for an instant).</summary>
    public int Taken => Math.Min(Volatile.Read(ref _taken), Limit);

    /// <summary>A slot, released when disposed; null when every slot is taken.</summary>
    public IDisposable? TryTake()
    {
        if (Interlocked.Increment(ref _taken) > Limit)
        {
            Interlocked.Decrement(ref _taken);
            return null;
        }

        return new Slot(this);
    }

    public string Refusal => $"this gateway holds as many connections as it may ({Limit}); try again later";

    private sealed class Slot(ConnectionSlots slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref slots._taken);
            }
        }
    }
}
