using System.Net.WebSockets;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// The life of one accepted WebSocket, whatever it carries: its writer runs while it is read; when
/// reading ends (either side closed, or a failure: 1011), what it carried is ended, and its last
/// frames get a moment to go out.
/// </summary>
internal static partial class SocketLifetime
{
    private static readonly TimeSpan LastFramesTimeout = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(SocketWriter writer, InvalidFrames invalidFrames, Func<Task> read, Func<Task> end, ILogger logger)
    {
        using var writing = new CancellationTokenSource();
        var writerTask = writer.RunAsync(writing.Token);
        try
        {
            await read();
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            LogSocketEnded(logger, exception.Message);
        }
        catch (Exception exception)
        {
            LogSocketFailed(logger, exception);
            writer.Close((int)WebSocketCloseStatus.InternalServerError, "service unavailable");
        }
        finally
        {
            invalidFrames.SocketEnded();
            writer.Complete();
            await end();
            writing.CancelAfter(LastFramesTimeout);
            await writerTask.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket ended: {Reason}")]
    private static partial void LogSocketEnded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection failed")]
    private static partial void LogSocketFailed(ILogger logger, Exception exception);
}
