using System.Net.WebSockets;
using Coordinator.Gateway.Hosting;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// Reads one WebSocket's messages, within the input bounds: a message larger than
/// <c>Gateway:MaxMessageBytes</c> closes it with 1009, one not completed within
/// <c>Gateway:MessageCompletionTimeout</c> with 1008, and one that would take the node's unfinished
/// input over <c>Gateway:MaxUnfinishedMessageBytesTotal</c> with 1013.
/// </summary>
internal sealed partial class SocketReader(WebSocket socket, SocketWriter writer, GatewayOptions options, UnfinishedMessageBudget budget, ILogger logger)
{
    /// <summary>
    /// Hands each whole message to <paramref name="onMessage"/> and waits for it before reading the
    /// next. Returns when either side closes the socket.
    /// </summary>
    public async Task RunAsync(Func<WebSocketMessageType, IncomingMessage, Task> onMessage, CancellationToken aborted)
    {
        // Disposed only once no receive can write into the message's chunks any more.
        using var message = new IncomingMessage(budget, options.MaxMessageBytes);
        using var deadline = new MessageDeadline(options.MessageCompletionTimeout, CloseIncompleteMessage, TimeProvider.System);
        while (socket.State == WebSocketState.Open && !writer.Closing)
        {
            // An idle socket waits with an empty buffer: thousands of idle peers hold no receive memory.
            var result = await socket.ReceiveAsync(Memory<byte>.Empty, aborted);
            deadline.Start();
            while (result.MessageType != WebSocketMessageType.Close && !result.EndOfMessage)
            {
                if (!message.TryGetSpace(out var space))
                {
                    LogBudgetExhausted(budget.LimitBytes);
                    writer.Close((int)InboundCloseCodes.TryAgainLater, "server busy: too many unfinished messages, try again later");
                    return;
                }

                var receiving = socket.ReceiveAsync(space, aborted);
                if (!receiving.IsCompleted)
                {
                    deadline.Arm();
                }

                result = await receiving;
                message.Advance(result.Count);
                if (writer.Closing)
                {
                    return; // the deadline passed while waiting
                }

                if (message.TooLarge)
                {
                    writer.Close((int)WebSocketCloseStatus.MessageTooBig, $"message larger than {options.MaxMessageBytes} bytes");
                    return;
                }
            }

            deadline.Stop();
            if (result.MessageType == WebSocketMessageType.Close)
            {
                writer.Close((int)(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure), "");
                return;
            }

            await onMessage(result.MessageType, message);
        }
    }

    private void CloseIncompleteMessage()
    {
        var timeout = options.MessageCompletionTimeout.TotalMilliseconds;
        LogIncompleteMessage(timeout);
        writer.Close((int)InboundCloseCodes.PolicyViolation, $"message not completed within {timeout:0} ms");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Socket closed (1008): a message was not completed within {TimeoutMs} ms")]
    private partial void LogIncompleteMessage(double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Socket closed (1013): the node's unfinished messages would exceed {LimitBytes} bytes (Gateway:MaxUnfinishedMessageBytesTotal)")]
    private partial void LogBudgetExhausted(long limitBytes);
}
