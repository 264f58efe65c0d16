using Coordinator.Gateway.Connections;
using Coordinator.Protocol.Frontend;

namespace Coordinator.Gateway.Frontend;

/// <summary>
/// One session's share of a frontend connection: its frames go out tagged with the session id;
/// closing it sends <c>sessionClosed</c> and ends the session, not the connection. A connection the
/// frontend no longer reads is closed as a whole (4001, by its writer): every session on it is behind.
/// </summary>
internal sealed class FrontendSessionOutput(SocketWriter connection, string sessionId, Action<int, string> ended) : ISessionOutput
{
    private readonly byte[] _prefix = FrontendFrames.SessionPrefix(sessionId);
    private int _closed;

    public bool Closing => Volatile.Read(ref _closed) != 0 || connection.Closing;

    /// <summary>A frontend too far behind is closed as a whole by its connection's writer (4001).</summary>
    public void Send(byte[] frame, long publishedAtTicks = 0)
    {
        if (!Closing)
        {
            connection.Send(FrontendFrames.Tagged(_prefix, frame), publishedAtTicks);
        }
    }

    /// <summary>The server ends the session: the frontend is told, then the session's peer leaves.</summary>
    public void Close(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        connection.Send(FrontendFrames.Closed(sessionId, code, reason));
        ended(code, reason);
    }

    /// <summary>The frontend ended the session (or its connection ended): nothing more is written for it.</summary>
    public bool CloseQuietly() => Interlocked.Exchange(ref _closed, 1) == 0;
}
