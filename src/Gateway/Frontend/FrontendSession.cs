using System.Threading.Channels;
using Coordinator.Gateway.Connections;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Gateway.Frontend;

/// <summary>
/// One peer session on a frontend connection: its messages wait in a bounded queue and are handled
/// one at a time, in order, as a browser socket's; different sessions run concurrently.
/// </summary>
internal sealed class FrontendSession(string id, PeerSessionHandler handler, FrontendSessionOutput output, int queueCapacity)
{
    private readonly Channel<ProtooMessage> _inbox = Channel.CreateBounded<ProtooMessage>(
        new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private volatile bool _ended;

    public string Id { get; } = id;

    public PeerSessionHandler Handler { get; } = handler;

    public FrontendSessionOutput Output { get; } = output;

    /// <summary>The session's run, from connecting to its peer's leave; set when it starts.</summary>
    public Task Running { get; set; } = Task.CompletedTask;

    /// <summary>Set once the frontend asked to close the session: frames for it are refused from then on.</summary>
    public bool Closing { get; private set; }

    /// <summary>Queues a message of the session; false when its queue is full.</summary>
    public bool TryEnqueue(ProtooMessage message) => _inbox.Writer.TryWrite(message);

    /// <summary>
    /// Connects the session, says so through <paramref name="opened"/> (null: it could not be set
    /// up, with the exception), handles its messages until it ends, then lets its peer leave.
    /// </summary>
    public async Task RunAsync(Action<Exception?> opened)
    {
        try
        {
            try
            {
                await Handler.ConnectAsync();
            }
            catch (Exception exception)
            {
                opened(exception);
                return;
            }

            opened(null);

            // Ended by either side: what is still queued is dropped, as a closed socket's would be.
            // A flag rather than a cancelled token: ending is routine, and should cost no exception.
            await foreach (var message in _inbox.Reader.ReadAllAsync())
            {
                if (_ended)
                {
                    break;
                }

                await Handler.HandleAsync(message, problem: null);
            }
        }
        finally
        {
            await Handler.DisconnectAsync();
        }
    }

    /// <summary>Stops handling messages, dropping what is queued; the session's peer then leaves its room.</summary>
    public void End()
    {
        _ended = true;
        _inbox.Writer.TryComplete();
    }

    /// <summary>
    /// The frontend closes the session: the messages it sent before are handled (and answered) in
    /// order, as a browser socket's before its close; then the session's peer leaves its room.
    /// </summary>
    public void EndAfterQueued()
    {
        Closing = true;
        _inbox.Writer.TryComplete();
    }
}
