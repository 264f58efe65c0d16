using Coordinator.Gateway.Hosting;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// The frames one socket sent that were not acted on: logged (a flood only as a summary, see
/// <see cref="DroppedFrameLog"/>) and counted; a socket that keeps sending them is closed with 1008.
/// </summary>
internal sealed partial class InvalidFrames(ISessionOutput socket, GatewayOptions options, ILogger logger)
{
    private readonly DroppedFrameLog _log = new(logger, TimeProvider.System);
    private readonly InvalidFrameLimit _limit = new(options.MaxInvalidFrames, options.InvalidFrameWindow, TimeProvider.System);

    public void Drop(string reason)
    {
        _log.Dropped(reason);
        if (_limit.Exceeded() && !socket.Closing)
        {
            LogTooManyInvalidFrames(options.MaxInvalidFrames, options.InvalidFrameWindow.TotalSeconds);
            socket.Close(
                (int)InboundCloseCodes.PolicyViolation,
                $"more than {options.MaxInvalidFrames} invalid messages within {options.InvalidFrameWindow.TotalSeconds:0.#} s");
        }
    }

    /// <summary>The socket ended: summarise what was dropped and not yet logged.</summary>
    public void SocketEnded() => _log.SocketEnded();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Socket closed (1008): more than {Max} invalid frames within {WindowSeconds} s")]
    private partial void LogTooManyInvalidFrames(int max, double windowSeconds);
}
