using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Placement;
using Coordinator.Protocol;
using Coordinator.Protocol.Messages;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Coordinator.Grains.Peers;

/// <summary>
/// The Peer: owns the connected session and publishes, numbered, every notification the session
/// receives. Every request of its socket but <c>queryRoom</c> arrives here, <c>join</c> included;
/// room-wide work is delegated to the Room (Peer → Room), while the Room reaches back only through
/// the interleaving hand-over methods.
/// </summary>
[WithRoomPlacement]
public sealed class PeerGrain(ConnectedPeers connectedPeers, ILogger<PeerGrain> logger) : Grain, IPeerGrain
{
    private PeerSession? _session;
    private NotificationPublisher? _publisher;
    private Guid? _incarnation;
    private bool _closed;

    /// <summary>While a request is with the Room: what the Room handed over meanwhile, in order, with its operation number.</summary>
    private List<(long Operation, Action Apply)>? _handedOverDuringRequest;
    private IRoomGrain? _room;

    /// <summary>The session's recent requests by number, for a gateway that sends one again.</summary>
    private readonly RecentAnswers _recentAnswers = new();

    /// <summary>Runs while the publisher keeps recent items for <see cref="Resend"/>, to forget the old ones.</summary>
    private IGrainTimer? _forgetTimer;

    public async Task<SiloAddress> Connect(PeerSession session)
    {
        if (_session == session)
        {
            return this.Silo();
        }

        if (_session is { } previous)
        {
            logger.LogInformation("Session {Previous} replaced by {Session}", previous, session);
            await LeaveRoom(previous, appData: null);
            _publisher?.End(new SessionEnd(CloseCodes.DoNotReconnect, "replaced by a newer connection for the same peer"));
        }

        if (_session is null)
        {
            connectedPeers.Connected();
        }

        _session = session;
        _recentAnswers.Clear();
        _publisher = new NotificationPublisher(
            this.GetStreamProvider(GrainKeys.NotificationStreamProvider).GetStream<SessionStreamItem>(GrainKeys.NotificationStreamOf(session)),
            session.SessionId,
            logger);
        _incarnation = null;
        _closed = false;

        // Media may flow for hours without any signaling: stay active while a socket is connected.
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        return this.Silo();
    }

    public async Task Disconnect(PeerSession session)
    {
        if (_session is null)
        {
            // A fresh activation: the one that knew this session died with its silo. The room may
            // still hold the peer; remove it by session (a no-op if it already left).
            await Room(session).Leave(session, incarnation: null, appData: null);
            DeactivateOnIdle();
            return;
        }

        if (_session != session)
        {
            return;
        }

        await LeaveRoom(session, appData: null);
        _session = null;
        _publisher = null;
        _incarnation = null;
        connectedPeers.Disconnected();

        // Nothing is left to keep: free the activation now rather than after the collection age.
        DeactivateOnIdle();
    }

    public Task<PeerAnswer> Request(PeerSession session, long number, JsonElement request)
    {
        if (_session is null)
        {
            // A fresh activation: the one that knew this session died with its silo.
            return Task.FromResult(Answer(MediasoupResult.Rejected(ServerLoss.PeerServerFailed, ServerLoss.Code)));
        }

        if (_session != session)
        {
            return Task.FromResult(Answer(MediasoupResult.Rejected(RequestRouting.NotJoined, 400)));
        }

        return _recentAnswers.GetOrRun(number, () => RequestAsync(session, request));
    }

    private async Task<PeerAnswer> RequestAsync(PeerSession session, JsonElement request)
    {
        try
        {
            return await RoomRequestAsync(session, request);
        }
        catch (Exception exception) when (ServerLoss.IsServerLoss(exception))
        {
            logger.LogWarning("Request of {Session} not delivered to its Room: {Reason}", session, exception.Message);
            return Answer(MediasoupResult.Rejected(ServerLoss.RoomServerFailed, ServerLoss.Code));
        }
    }

    private async Task<PeerAnswer> RoomRequestAsync(PeerSession session, JsonElement request)
    {
        if (JsJson.StringProperty(request, "method") == "join")
        {
            return await JoinAsync(session, request);
        }

        if (_incarnation is not { } incarnation)
        {
            return Answer(MediasoupResult.Rejected(RequestRouting.NotJoined, 400));
        }

        try
        {
            if (_closed)
            {
                throw MessageValidation.RoomClosed();
            }

            var method = MessageValidation.RequestMethod(request);
            return await AskRoomAsync(() => Room(session).PeerRequest(session, incarnation, method, request));
        }
        catch (MediasoupError error)
        {
            return Answer(MediasoupResult.Rejected(error));
        }
    }

    /// <summary>Takes the socket's <c>join</c> to the Room; a successful answer names the incarnation joined.</summary>
    private Task<PeerAnswer> JoinAsync(PeerSession session, JsonElement request) =>
        _incarnation is not null
            ? Task.FromResult(Answer(MediasoupResult.Rejected(RequestRouting.AlreadyJoined)))
            : AskRoomAsync(() => Room(session).Join(session, request), answer => _incarnation = answer.Incarnation);

    /// <summary>
    /// Asks the Room and places the answer among the notifications. What the Room hands over while
    /// it is asked is held: the Room's operations up to the one that answered come first (numbered
    /// before the answer), later ones after it, whatever order the answer and the hand-overs reach
    /// this grain in. The answer's <see cref="PeerAnswer.NotifiedThrough"/> is the seq between them.
    /// </summary>
    private async Task<PeerAnswer> AskRoomAsync(Func<Task<RoomAnswer>> ask, Action<RoomAnswer>? learn = null)
    {
        var held = _handedOverDuringRequest = [];
        RoomAnswer answer;
        try
        {
            answer = await ask();
        }
        finally
        {
            _handedOverDuringRequest = null;
        }

        learn?.Invoke(answer);
        foreach (var (_, apply) in held.Where(handOver => handOver.Operation <= answer.Operation))
        {
            apply();
        }

        var notifiedThrough = _publisher?.LastSeq ?? 0;
        foreach (var (_, apply) in held.Where(handOver => handOver.Operation > answer.Operation))
        {
            apply();
        }

        return new PeerAnswer(answer.Result, notifiedThrough, answer.Host);
    }

    private PeerAnswer Answer(MediasoupResult result) => new(result, _publisher?.LastSeq ?? 0);

    /// <summary>Applies a hand-over now, or in its place once the pending request's answer is known.</summary>
    private Task HandOver(long operation, Action apply)
    {
        if (_handedOverDuringRequest is { } held)
        {
            held.Add((operation, apply));
        }
        else
        {
            apply();
        }

        return Task.CompletedTask;
    }

    public Task Notify(PeerSession session, long number, JsonElement notification) =>
        _session == session
            ? _recentAnswers.GetOrRun(number, async () =>
            {
                await NotifyAsync(session, notification);
                return true;
            })
            : NotifyAsync(session, notification);

    private async Task NotifyAsync(PeerSession session, JsonElement notification)
    {
        if (_session != session || _incarnation is null)
        {
            logger.LogWarning("Notification from {Session} dropped: no mediasoup Peer", session);
            return;
        }

        try
        {
            if (_closed)
            {
                throw MessageValidation.RoomClosed();
            }

            var method = MessageValidation.NotificationMethod(notification);
            if (method == "leave")
            {
                await LeaveRoom(session, JsJson.Property(notification, "appData"));
            }
            else
            {
                await Room(session).PeerNotify(session, _incarnation.Value, method, notification);
            }
        }
        catch (MediasoupError error)
        {
            // The reference logs and swallows every notification failure (docs/protocol.md#errors).
            logger.LogWarning("Notification from {Session} ignored: {Reason}", session, error.Reason);
        }
    }

    public Task<SessionStreamItem[]?> Resend(PeerSession session, long fromSeq)
    {
        if (_session is null)
        {
            // A fresh activation: the one that numbered this session died with its silo.
            DeactivateOnIdle();
            return Task.FromResult<SessionStreamItem[]?>(null);
        }

        var items = _session == session ? _publisher?.From(fromSeq) : null;
        if (items is not { Length: 0 })
        {
            logger.LogInformation("Gateway of {Session} asked for its notifications from seq {FromSeq}: {Outcome}", session, fromSeq, items is null ? "no longer kept" : $"{items.Length} sent again");
        }

        return Task.FromResult(items);
    }

    public Task<PeerSnapshot> Describe() => Task.FromResult(new PeerSnapshot(
        _session, _incarnation, _closed, _publisher?.LastSeq ?? 0, GrainContext.ActivationId.ToString()));

    public Task Deliver(PeerSession session, Guid incarnation, long operation, JsonElement[] notifications) => HandOver(operation, () =>
    {
        if (IsLiveMember(session, incarnation))
        {
            foreach (var notification in notifications)
            {
                _publisher!.Publish(notification);
            }

            ForgetOldItemsLater();
        }
    });

    public Task CloseByServer(PeerSession session, Guid incarnation, long operation, JsonElement? appData, string reason) => HandOver(operation, () =>
    {
        if (IsLiveMember(session, incarnation))
        {
            // `closed` is the only notification that gets through while closing (docs/protocol.md#server-notifications).
            _publisher!.Publish(ServerNotifications.Closed(appData));
            _closed = true;
            _publisher.End(new SessionEnd(CloseCodes.DoNotReconnect, reason));
            ForgetOldItemsLater();
        }
    });

    private void ForgetOldItemsLater() => _forgetTimer ??= this.RegisterGrainTimer(
        ForgetOldItems,
        new GrainTimerCreationOptions(RecentItems.MaxAge, RecentItems.MaxAge) { Interleave = true, KeepAlive = false });

    private Task ForgetOldItems()
    {
        if (_publisher?.ForgetOld() != true)
        {
            _forgetTimer?.Dispose();
            _forgetTimer = null;
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_session is { } session)
        {
            logger.LogWarning("Peer of {Session} deactivated while connected ({Reason})", session, reason);
            connectedPeers.Disconnected();
        }

        return Task.CompletedTask;
    }

    private bool IsLiveMember(PeerSession session, Guid incarnation) =>
        _session == session && _incarnation == incarnation && !_closed;

    /// <summary>
    /// Closes this peer in its room. It is marked closed first, so notifications the Room hands
    /// over meanwhile are dropped: after a peer closes nothing more is sent to it.
    /// </summary>
    private async Task LeaveRoom(PeerSession session, JsonElement? appData)
    {
        if (_incarnation is not { } incarnation || _closed)
        {
            return;
        }

        _closed = true;
        await Room(session).Leave(session, incarnation, appData);
    }

    /// <summary>The room of this peer (its key names it, so it never changes).</summary>
    private IRoomGrain Room(PeerSession session) => _room ??= GrainFactory.Reference<IRoomGrain>(session.RoomId);
}
