using System.Diagnostics;
using System.Net.WebSockets;

namespace Coordinator.Tools.LoadTest;

/// <summary>The receive loop of the load tool's WebSockets: whole messages, each with its arrival time.</summary>
internal static class WebSocketReceiver
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>
    /// Hands every whole message to <paramref name="onMessage"/> (the memory is reused after it
    /// returns) with its arrival time in <see cref="Stopwatch"/> ticks; returns once the server
    /// closed the socket, after answering its close.
    /// </summary>
    public static async Task ReceiveAllAsync(WebSocket socket, Action<ReadOnlyMemory<byte>, long> onMessage)
    {
        var buffer = new byte[ChunkBytes];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }

                return;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                onMessage(message.GetBuffer().AsMemory(0, (int)message.Length), Stopwatch.GetTimestamp());
                message.SetLength(0);
            }
        }
    }
}
