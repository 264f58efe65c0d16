using System.Diagnostics;
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
/// One peer session, whatever carries it (a browser's protoo socket, or a frontend's connection):
/// it translates the session's messages into grain calls and its notifications into frames for
/// <paramref name="output"/>. It keeps no protocol state beyond what the mediasoup-demo server kept
/// per socket: whether the session has joined. Messages are handled one at a time, in order.
/// </summary>
internal sealed partial class PeerSessionHandler(
    PeerSession session,
    PeerConnectOrder.Turn connectTurn,
    IGrainFactory grains,
    GatewayNotifications notifications,
    PathLosses pathLosses,
    GatewayOptions options,
    ISessionOutput output,
    InvalidFrames invalidFrames,
    ConnectionTracker tracker,
    ILogger logger)
{
    private readonly SessionStreamReceiver _notifications = new(output, AskPeerAgain(grains, session), logger);
    private readonly MessageRateLimiter _rate = new(options.MaxMessagesPerSecond, options.MessageBurst);
    private readonly IPeerGrain _peer = grains.Reference<IPeerGrain>(session.PeerKey);
    private readonly IRoomGrain _room = grains.Reference<IRoomGrain>(session.RoomId);
    private IDisposable? _registration;
    private bool _joined;
    private long _requestNumber;
    private string _outcome = "ok";

    /// <summary>The request whose answer the cluster owes, until it is answered (messages are handled one at a time).</summary>
    private ProtooRequest? _awaitingCluster;

    /// <summary>Set once the silo of the session's room or Peer failed: the reason every later request is answered with.</summary>
    private string? _lostServer;

    /// <summary>Cancelled with <see cref="_lostServer"/>: a call still waiting for the failed silo is given up.</summary>
    private readonly CancellationTokenSource _serverLost = new();

    /// <summary>
    /// How long a session whose server failed stays open before its close frame, so requests the
    /// client sent before it could know are answered too (no frame may follow the close frame).
    /// </summary>
    private static readonly TimeSpan LostServerDrain = TimeSpan.FromMilliseconds(100);

    public PeerSession Session => session;

    /// <summary>The silo of this session's Peer grain, once connected.</summary>
    public SiloAddress? PeerSilo { get; private set; }

    /// <summary>The silo of the joined room (and its media router), once joined.</summary>
    public SiloAddress? RoomSilo { get; private set; }

    /// <summary>Ends the session from the server side (shutdown, the cluster lost).</summary>
    public void Close(int code, string reason) => output.Close(code, reason);

    /// <summary>
    /// Ends the session because the silo holding its room or Peer failed (<see cref="ServerLoss"/>).
    /// Every request is answered first, with the same reason: the one waiting for the cluster, and
    /// those that arrive during <see cref="LostServerDrain"/> (a call still waiting is given up). The
    /// client would otherwise wait for answers that cannot come: protoo-client keeps a request
    /// pending across a reconnect, until its own timeout.
    /// </summary>
    public void CloseForLostServer(string reason)
    {
        if (Interlocked.CompareExchange(ref _lostServer, reason, null) is not null)
        {
            return; // closing already
        }

        if (Interlocked.Exchange(ref _awaitingCluster, null) is { } request)
        {
            Send(ProtooFrames.Error(request.Id, ServerLoss.Code, reason));
        }

        _serverLost.Cancel();
        _ = CloseAfterDrainAsync(reason);
    }

    private async Task CloseAfterDrainAsync(string reason)
    {
        await Task.Delay(LostServerDrain);
        output.Close(CloseCodes.ReconnectAndRejoin, reason);
    }

    /// <summary>How long the Peer has to send a session's notifications again before they count as lost.</summary>
    private static readonly TimeSpan AskPeerAgainTimeout = TimeSpan.FromSeconds(2);

    private static Func<long, Task<SessionStreamItem[]?>> AskPeerAgain(IGrainFactory grains, PeerSession session)
    {
        var peer = grains.Reference<IPeerGrain>(session.PeerKey);
        return fromSeq => peer.Resend(session, fromSeq).WaitAsync(AskPeerAgainTimeout);
    }

    /// <summary>
    /// A silo left the cluster, and with it the notification queues it held: asks the Peer for any
    /// of this session's items that the stream has not brought (none once the Peer is connected and
    /// the session still open).
    /// </summary>
    public void CheckForLostNotifications()
    {
        if (PeerSilo is not null && Volatile.Read(ref _lostServer) is null)
        {
            _notifications.CheckForLostItems();
        }
    }

    /// <summary>
    /// Tells the session's Peer grain that the session exists; notifications for it flow from now
    /// on. It waits for the Connect of a session opened earlier for the same peer on this gateway,
    /// so that the newest session is the one that connects last (<see cref="PeerConnectOrder"/>).
    /// </summary>
    public async Task ConnectAsync()
    {
        using (connectTurn)
        {
            await connectTurn.Earlier;
            // Registered before the Peer hears of the session, so nothing published for it is missed.
            _registration = notifications.Register(session.SessionId, _notifications);
            // Connecting the same session again changes nothing on a Peer that took the first call. No
            // token is passed, so a cancellation is Orleans giving up on addressing it (while a silo is lost).
            try
            {
                PeerSilo = await OnceMoreIfNotDeliveredAsync(() => _peer.Connect(session), exception => exception is OperationCanceledException);
            }
            catch (OperationCanceledException exception)
            {
                // Not the socket's cancellation: a failure, so that the socket closes with 1011 instead of dropping.
                throw new InvalidOperationException($"the session could not reach its Peer: {exception.Message}", exception);
            }
        }
    }

    /// <summary>The session is over: its peer leaves its room, as if it had sent <c>leave</c>.</summary>
    public async Task DisconnectAsync()
    {
        try
        {
            await _peer.Disconnect(session).WaitAsync(options.RequestTimeout);
        }
        catch (Exception exception)
        {
            LogConnectionFailed(exception);
        }
        finally
        {
            _registration?.Dispose();
        }
    }

    /// <summary>
    /// Handles one message of the session (null: a frame that is not a protoo message, for the
    /// reason in <paramref name="problem"/>). Every message counts against the session's rate.
    /// </summary>
    public async Task HandleAsync(ProtooMessage? message, string? problem)
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
                invalidFrames.Drop(message is null ? $"over the message rate limit, and {problem ?? "unparsable"}" : "notification over the message rate limit");
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
                invalidFrames.Drop($"unknown notification method \"{notification.Method}\"");
                break;
            default:
                invalidFrames.Drop(problem ?? "unparsable frame");
                break;
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
        if (Volatile.Read(ref _lostServer) is { } lost)
        {
            SendError(request.Id, ServerLoss.Code, lost);
            return;
        }

        var route = RequestRouting.Route(request.Data, _joined, session.PeerName);
        switch (route.Destination)
        {
            case RequestDestination.QueryRoom:
                _notifications.RequestStarted();
                _awaitingCluster = request;
                await RespondAsync(request, await WithDeadline(QueryRoomAsync(request.Data), result => result, ServerLoss.RoomServerFailed), notifiedThrough: null);
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
    /// A request for the session's Peer, <c>join</c> included. Notifications wait meanwhile, and the
    /// answer is written in its place among them (see <see cref="SessionStreamReceiver"/>).
    /// </summary>
    private async Task PeerRequestAsync(ProtooRequest request, bool join)
    {
        _notifications.RequestStarted();
        _awaitingCluster = request;
        if (join)
        {
            // A peer becomes visible to others only once the cluster's lease for this gateway holds
            // its session: should the gateway die the next moment, the cluster still removes it.
            // If the cluster cannot be told, the join goes on after the deadline (whose timer ends with the report).
            await tracker.Reported(session).WaitAsync(options.RequestTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var call = ResendingOnPathLossAsync(number => _peer.Request(session, number, request.Data));
        var answer = await WithDeadline(call, result => new PeerAnswer(result, NotifiedThrough: 0), ServerLoss.PeerServerFailed);
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
    /// The Peer's answer to a call numbered with the session's next message number. If a path to the
    /// cluster is lost while the call is out, or the call fails because the silo it went through is
    /// gone, the call goes again under the same number (the Peer runs it once) and the first answer
    /// of the two counts. A Peer that died with its silo answers the second call itself
    /// (<see cref="ServerLoss.PeerServerFailed"/>).
    /// </summary>
    private async Task<T> ResendingOnPathLossAsync<T>(Func<long, Task<T>> call)
    {
        var number = ++_requestNumber;
        var loss = pathLosses.Next;
        var first = call(number);
        if (await Task.WhenAny(first, loss) == first && !(first.Exception?.InnerException is { } failure && ServerLoss.IsServerLoss(failure)))
        {
            return await first;
        }

        GatewayMetrics.RequestResent();
        var again = call(number);
        var answered = await Task.WhenAny(first, again);
        return answered.IsCompletedSuccessfully ? await answered : await (answered == first ? again : first);
    }

    /// <summary>The Room's answer to <c>queryRoom</c>. The query only reads, so it may safely go twice.</summary>
    private Task<MediasoupResult> QueryRoomAsync(JsonElement query) => OnceMoreIfNotDeliveredAsync(() => _room.QueryRoom(query));

    /// <summary>
    /// A call that is safe to repeat: if it never reached its grain (rejected on its way, as while
    /// a silo joins or leaves, or a failure <paramref name="alsoUndelivered"/> names), it goes once
    /// more; a second loss is the grain's silo gone.
    /// </summary>
    private async Task<T> OnceMoreIfNotDeliveredAsync<T>(Func<Task<T>> call, Func<Exception, bool>? alsoUndelivered = null)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (ServerLoss.IsServerLoss(exception) || alsoUndelivered?.Invoke(exception) == true)
        {
            LogRequestNotDelivered(exception.Message);
            GatewayMetrics.RequestResent();
            return await call();
        }
    }

    private async Task HandleMediasoupNotificationAsync(JsonElement notification)
    {
        if (!_joined)
        {
            invalidFrames.Drop("mediasoup notification before join: no mediasoup Peer");
            return;
        }

        if (Volatile.Read(ref _lostServer) is not null)
        {
            return; // its Peer or room is gone with its silo
        }

        try
        {
            await ResendingOnPathLossAsync(async number =>
            {
                await _peer.Notify(session, number, notification);
                return true;
            }).WaitAsync(options.RequestTimeout, _serverLost.Token);
        }
        catch (TimeoutException)
        {
            LogSlowNotification();
        }
        catch (OperationCanceledException) when (_serverLost.IsCancellationRequested)
        {
            // Given up: the session is closing because its server failed.
        }
        catch (Exception exception)
        {
            // A notification has no response to carry a failure: log it, keep the session.
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
                await _peer.Notify(session, number: 0, LeaveNotification);
            }
        }
        catch (Exception exception)
        {
            LogConnectionFailed(exception);
        }
    }

    /// <summary>
    /// The result, or null when the deadline passed first; when the call failed, <paramref name="failed"/>
    /// of <see cref="ServerLoss"/> with <paramref name="lostServerReason"/> if its silo is gone, else
    /// of a 500. <c>WaitAsync</c> rather than a <c>Task.Delay</c> race: its timer is released as soon
    /// as the call completes, instead of staying queued for the whole deadline.
    /// </summary>
    private async Task<T?> WithDeadline<T>(Task<T> call, Func<MediasoupResult, T> failed, string lostServerReason)
        where T : class
    {
        try
        {
            return await call.WaitAsync(options.RequestTimeout, _serverLost.Token);
        }
        catch (TimeoutException) when (!call.IsCompleted)
        {
            return null;
        }
        catch (OperationCanceledException) when (_serverLost.IsCancellationRequested)
        {
            // Answered already by CloseForLostServer; this answer is dropped.
            return failed(MediasoupResult.Rejected(lostServerReason, ServerLoss.Code));
        }
        catch (Exception exception) when (ServerLoss.IsServerLoss(exception))
        {
            LogRequestNotDelivered(exception.Message);
            return failed(MediasoupResult.Rejected(lostServerReason, ServerLoss.Code));
        }
        catch (Exception exception)
        {
            LogRequestFailed(exception);
            return failed(Unprocessable);
        }
    }

    private static readonly MediasoupResult Unprocessable = MediasoupResult.Rejected("Error: the request could not be processed");

    private Task RespondAsync(ProtooRequest request, MediasoupResult? result, long? notifiedThrough)
    {
        if (Interlocked.Exchange(ref _awaitingCluster, null) != request)
        {
            _outcome = "error"; // answered already, as the session closed (CloseForLostServer)
            return Task.CompletedTask;
        }

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

    private void Send(byte[] frame) => output.Send(frame);

    private static readonly JsonElement LeaveNotification =
        JsonDocument.Parse("""{"method":"leave","target":"peer","notification":true}""").RootElement.Clone();

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection failed")]
    private partial void LogConnectionFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request failed")]
    private partial void LogRequestFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request not delivered: {Reason}")]
    private partial void LogRequestNotDelivered(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A mediasoup notification took longer than the request deadline")]
    private partial void LogSlowNotification();
}
