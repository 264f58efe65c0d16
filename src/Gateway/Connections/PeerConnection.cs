using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Coordinator.Gateway.Cluster;
using Coordinator.Gateway.Hosting;
using Coordinator.Gateway.Telemetry;
using Coordinator.Grains.Interfaces;
using Coordinator.Protocol;
using Coordinator.Protocol.Messages;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// One protoo WebSocket bound to (roomId, peerName). It translates frames into grain calls and
/// the session's notifications into frames. It keeps no protocol state beyond what the
/// mediasoup-demo server kept per socket: whether this socket has joined.
/// </summary>
internal sealed partial class PeerConnection(
    WebSocket socket,
    PeerSession session,
    IGrainFactory grains,
    GatewayNotifications notifications,
    PathLosses pathLosses,
    GatewayOptions options,
    UnfinishedMessageBudget budget,
    ILogger logger)
{
    private readonly SocketWriter _writer = new(socket, options.MaxPendingFrames, options.MaxPendingBytes, logger);
    private readonly SessionStreamReceiver _notifications = new(logger);
    private readonly MessageRateLimiter _rate = new(options.MaxMessagesPerSecond, options.MessageBurst);
    private DroppedFrameLog? _droppedLog;
    private InvalidFrameLimit? _invalidFrames;
    private bool _joined;
    private long _requestNumber;
    private string _outcome = "ok";

    public PeerSession Session => session;

    /// <summary>The silo of this session's Peer grain, once connected.</summary>
    public SiloAddress? PeerSilo { get; private set; }

    /// <summary>The silo of the joined room (and its media router), once joined.</summary>
    public SiloAddress? RoomSilo { get; private set; }

    private readonly IPeerGrain _peer = grains.GetGrain<IPeerGrain>(session.PeerKey);
    private readonly IRoomGrain _room = grains.GetGrain<IRoomGrain>(session.RoomId);

    /// <summary>Runs the socket until either side closes it; the peer then leaves its room.</summary>
    public async Task RunAsync()
    {
        _notifications.Attach(_writer);
        // Registered before the Peer hears of the session, so nothing published for it is missed.
        using var registration = notifications.Register(session.SessionId, _notifications);
        using var writing = new CancellationTokenSource();
        var writerTask = _writer.RunAsync(writing.Token);
        try
        {
            PeerSilo = await _peer.Connect(session);
            await ReceiveAsync(_writer.ReceiveAborted);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            LogSocketEnded(exception.Message);
        }
        catch (Exception exception)
        {
            LogConnectionFailed(exception);
            _writer.Close((int)WebSocketCloseStatus.InternalServerError, "service unavailable");
        }
        finally
        {
            _writer.Complete();
            await LeaveAsync();
            writing.CancelAfter(TimeSpan.FromSeconds(2));
            await writerTask.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Ends the socket from the server side (shutdown).</summary>
    public void Close(int code, string reason) => _writer.Close(code, reason);

    private async Task ReceiveAsync(CancellationToken aborted)
    {
        // Disposed only once no receive can write into the message's chunks any more.
        using var message = new IncomingMessage(budget, options.MaxMessageBytes);
        using var deadline = new MessageDeadline(options.MessageCompletionTimeout, CloseIncompleteMessage, TimeProvider.System);
        try
        {
            while (socket.State == WebSocketState.Open && !_writer.Closing)
            {
                // An idle socket waits with an empty buffer: thousands of idle peers hold no receive memory.
                var result = await socket.ReceiveAsync(Memory<byte>.Empty, aborted);
                deadline.Start();
                while (result.MessageType != WebSocketMessageType.Close && !result.EndOfMessage)
                {
                    if (!message.TryGetSpace(out var space))
                    {
                        LogBudgetExhausted(budget.LimitBytes);
                        _writer.Close((int)InboundCloseCodes.TryAgainLater, "server busy: too many unfinished messages, try again later");
                        return;
                    }

                    var receiving = socket.ReceiveAsync(space, aborted);
                    if (!receiving.IsCompleted)
                    {
                        deadline.Arm();
                    }

                    result = await receiving;
                    message.Advance(result.Count);
                    if (_writer.Closing)
                    {
                        return; // the deadline passed while waiting
                    }

                    if (message.TooLarge)
                    {
                        _writer.Close((int)WebSocketCloseStatus.MessageTooBig, $"message larger than {options.MaxMessageBytes} bytes");
                        return;
                    }
                }

                deadline.Stop();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    AnswerClientClose();
                    return;
                }

                await CompleteMessageAsync(result.MessageType, message);
            }
        }
        finally
        {
            _droppedLog?.SocketEnded();
        }
    }

    private void AnswerClientClose() => _writer.Close((int)(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure), "");

    private void CloseIncompleteMessage()
    {
        var timeout = options.MessageCompletionTimeout.TotalMilliseconds;
        LogIncompleteMessage(timeout);
        _writer.Close((int)InboundCloseCodes.PolicyViolation, $"message not completed within {timeout:0} ms");
    }

    /// <summary>
    /// Every message counts against the socket's rate, whatever it holds. Its chunks go back as soon
    /// as it is parsed (the parsed message owns copies), before any grain is called.
    /// </summary>
    private Task CompleteMessageAsync(WebSocketMessageType type, IncomingMessage message)
    {
        if (type != WebSocketMessageType.Text)
        {
            message.Consume(_ => 0);
            _rate.TryTake();
            DropFrame("binary frame");
            return Task.CompletedTask;
        }

        string? problem = null;
        var parsed = message.Consume(frame => ProtooMessage.Parse(frame, options.MaxJsonDepth, out problem));
        return HandleFrameAsync(parsed, problem);
    }

    private async Task HandleFrameAsync(ProtooMessage? message, string? problem)
    {
        if (!_rate.TryTake())
        {
            if (message is ProtooRequest or ProtooInvalidRequest)
            {
                var id = message is ProtooRequest request ? request.Id : ((ProtooInvalidRequest)message).Id;
                Send(ProtooFrames.Error(id, 429, $"too many messages: at most {options.MaxMessagesPerSecond:0} per second"));
            }
            else
            {
                DropFrame(message is null ? $"over the message rate limit, and {problem ?? "unparsable"}" : "notification over the message rate limit");
            }

            return;
        }

        switch (message)
        {
            case ProtooRequest { Method: ProtooFrames.MediasoupRequest } request:
                await HandleMediasoupRequestAsync(request);
                break;
            case ProtooRequest request:
                SendError(request.Id, 400, $"unknown request.method \"{request.Method}\"");
                break;
            case ProtooInvalidRequest invalid:
                Send(ProtooFrames.Error(invalid.Id, 400, invalid.Reason));
                break;
            case ProtooNotification { Method: ProtooFrames.MediasoupNotification } notification:
                await HandleMediasoupNotificationAsync(notification.Data);
                break;
            case ProtooNotification notification:
                DropFrame($"unknown notification method \"{notification.Method}\"");
                break;
            default:
                DropFrame(problem ?? "unparsable frame");
                break;
        }
    }

    /// <summary>
    /// A frame that is not acted on: logged (a flood only as a summary) and counted; a socket that
    /// keeps sending them is closed.
    /// </summary>
    private void DropFrame(string reason)
    {
        (_droppedLog ??= new DroppedFrameLog(logger, TimeProvider.System)).Dropped(reason);
        _invalidFrames ??= new InvalidFrameLimit(options.MaxInvalidFrames, options.InvalidFrameWindow, TimeProvider.System);
        if (_invalidFrames.Exceeded() && !_writer.Closing)
        {
            LogTooManyInvalidFrames(options.MaxInvalidFrames, options.InvalidFrameWindow.TotalSeconds);
            _writer.Close(
                (int)InboundCloseCodes.PolicyViolation,
                $"more than {options.MaxInvalidFrames} invalid messages within {options.InvalidFrameWindow.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Handles one mediasoup request inside a trace span, and counts it by method and outcome.</summary>
    private async Task HandleMediasoupRequestAsync(ProtooRequest request)
    {
        var method = GatewayMetrics.MethodTag(JsJson.StringProperty(request.Data, "method"));
        using var activity = GatewayMetrics.Activities.StartActivity($"mediasoup {method}");
        activity?.SetTag("coordinator.room", session.RoomId);
        activity?.SetTag("coordinator.peer", session.PeerName);
        var started = Stopwatch.GetTimestamp();
        _outcome = "ok";
        await DispatchMediasoupRequestAsync(request);
        activity?.SetTag("coordinator.outcome", _outcome);
        GatewayMetrics.RequestAnswered(method, _outcome, Stopwatch.GetElapsedTime(started));
    }

    private async Task DispatchMediasoupRequestAsync(ProtooRequest request)
    {
        var route = RequestRouting.Route(request.Data, _joined, session.PeerName);
        switch (route.Destination)
        {
            case RequestDestination.QueryRoom:
                _notifications.RequestStarted();
                await RespondAsync(request, await WithDeadline(_room.QueryRoom(request.Data), Unprocessable), notifiedThrough: null);
                break;
            case RequestDestination.Join:
            case RequestDestination.Peer:
                await PeerRequestAsync(request, route.Destination == RequestDestination.Join);
                break;
            default:
                SendError(request.Id, route.ErrorCode, route.ErrorReason!);
                break;
        }
    }

    /// <summary>
    /// A request for the socket's Peer, <c>join</c> included. Notifications wait meanwhile, and the
    /// answer is written in its place among them (see <see cref="SessionStreamReceiver"/>).
    /// </summary>
    private async Task PeerRequestAsync(ProtooRequest request, bool join)
    {
        _notifications.RequestStarted();
        var call = RequestResendingOnPathLossAsync(++_requestNumber, request.Data);
        var answer = await WithDeadline(call, new PeerAnswer(Unprocessable, NotifiedThrough: 0));
        if (join)
        {
            if (answer is null)
            {
                _ = UndoLateJoinAsync(call);
            }

            _joined = answer?.Result.Ok == true;
            RoomSilo = answer?.RoomHost;
        }

        await RespondAsync(request, answer?.Result, answer?.NotifiedThrough);
    }

    /// <summary>
    /// The Peer's answer. If a path to the cluster is lost while the call is out, the call may be
    /// lost with it: the request goes again under the same number (the Peer runs it once) and the
    /// first answer of the two counts.
    /// </summary>
    private async Task<PeerAnswer> RequestResendingOnPathLossAsync(long number, JsonElement data)
    {
        var loss = pathLosses.Next;
        var first = _peer.Request(session, number, data);
        if (await Task.WhenAny(first, loss) == first)
        {
            return await first;
        }

        GatewayMetrics.RequestResent();
        var again = _peer.Request(session, number, data);
        var answered = await Task.WhenAny(first, again);
        return answered.IsCompletedSuccessfully ? await answered : await (answered == first ? again : first);
    }

    private async Task HandleMediasoupNotificationAsync(JsonElement notification)
    {
        if (!_joined)
        {
            DropFrame("mediasoup notification before join: no mediasoup Peer");
            return;
        }

        try
        {
            await _peer.Notify(session, notification).WaitAsync(options.RequestTimeout);
        }
        catch (TimeoutException)
        {
            LogSlowNotification();
        }
        catch (Exception exception)
        {
            // A notification has no response to carry a failure: log it, keep the socket.
            LogRequestFailed(exception);
        }
    }

    /// <summary>
    /// The client was told its join failed; if the Room completes it anyway, leave again so the
    /// room holds no peer the client does not know about.
    /// </summary>
    private async Task UndoLateJoinAsync(Task<PeerAnswer> call)
    {
        try
        {
            if ((await call).Result.Ok)
            {
                await _peer.Notify(session, LeaveNotification);
            }
        }
        catch (Exception exception)
        {
            LogConnectionFailed(exception);
        }
    }

    /// <summary>
    /// The result, or null when the deadline passed first; <paramref name="failed"/> when the call
    /// failed. <c>WaitAsync</c> rather than a <c>Task.Delay</c> race: its timer is released as soon
    /// as the call completes, instead of staying queued for the whole deadline.
    /// </summary>
    private async Task<T?> WithDeadline<T>(Task<T> call, T failed)
        where T : class
    {
        try
        {
            return await call.WaitAsync(options.RequestTimeout);
        }
        catch (TimeoutException) when (!call.IsCompleted)
        {
            return null;
        }
        catch (Exception exception)
        {
            LogRequestFailed(exception);
            return failed;
        }
    }

    private static readonly MediasoupResult Unprocessable = MediasoupResult.Rejected("Error: the request could not be processed");

    private Task RespondAsync(ProtooRequest request, MediasoupResult? result, long? notifiedThrough)
    {
        _outcome = result switch { null => "timeout", { Ok: true } => "ok", _ => "error" };
        return _notifications.AnswerAsync(Response(request, result), notifiedThrough);
    }

    private byte[] Response(ProtooRequest request, MediasoupResult? result) => result switch
    {
        null => ProtooFrames.Error(request.Id, 408, $"request timed out after {options.RequestTimeout.TotalMilliseconds:0} ms"),
        { Ok: true } => ProtooFrames.Success(request.Id, result.Data),
        _ => ProtooFrames.Error(request.Id, result.ErrorCode, result.ErrorReason!),
    };

    private void SendError(JsonElement id, int code, string reason)
    {
        _outcome = "error";
        Send(ProtooFrames.Error(id, code, reason));
    }

    private void Send(byte[] frame) => _writer.Send(frame);

    private async Task LeaveAsync()
    {
        try
        {
            await _peer.Disconnect(session).WaitAsync(options.RequestTimeout);
        }
        catch (Exception exception)
        {
            LogConnectionFailed(exception);
        }
    }

    private static readonly JsonElement LeaveNotification =
        JsonDocument.Parse("""{"method":"leave","target":"peer","notification":true}""").RootElement.Clone();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket ended: {Reason}")]
    private partial void LogSocketEnded(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Socket closed (1008): a message was not completed within {TimeoutMs} ms")]
    private partial void LogIncompleteMessage(double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Socket closed (1008): more than {Max} invalid frames within {WindowSeconds} s")]
    private partial void LogTooManyInvalidFrames(int max, double windowSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Socket closed (1013): the node's unfinished messages would exceed {LimitBytes} bytes (Gateway:MaxUnfinishedMessageBytesTotal)")]
    private partial void LogBudgetExhausted(long limitBytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection failed")]
    private partial void LogConnectionFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request failed")]
    private partial void LogRequestFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A mediasoup notification took longer than the request deadline")]
    private partial void LogSlowNotification();
}
