namespace Coordinator.Gateway.Connections;

/// <summary>
/// Where one peer session's frames go: its own browser socket (<see cref="SocketWriter"/>), or its
/// share of a frontend's connection (<see cref="Frontend.FrontendSessionOutput"/>).
/// </summary>
internal interface ISessionOutput
{
    /// <summary>Set once the session is ending; later frames are dropped.</summary>
    bool Closing { get; }

    /// <summary>Queues a frame. A reader too far behind is closed instead (4001), by the output itself.</summary>
    void Send(byte[] frame, long publishedAtTicks = 0);

    /// <summary>Ends the session from the server side with a close code and a reason; the first close wins.</summary>
    void Close(int code, string reason);
}
