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
    private bool _joining;
    private bool _closed;
    private IRoomGrain? _room;

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

    public async Task<PeerAnswer> Request(PeerSession session, JsonElement request)
    {
        if (_session != session)
        {
            return Answer(MediasoupResult.Rejected(RequestRouting.NotJoined, 400));
        }

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
            return Answer(await Room(session).PeerRequest(session, incarnation, method, request));
        }
        catch (MediasoupError error)
        {
            return Answer(MediasoupResult.Rejected(error));
        }
    }

    /// <summary>
    /// Takes the socket's <c>join</c> to the Room. While it is under way, the Room's hand-overs for
    /// this session are taken before the incarnation is known: once the Room has added the peer, its
    /// next operation may notify it before this grain has read the answer.
    /// </summary>
    private async Task<PeerAnswer> JoinAsync(PeerSession session, JsonElement request)
    {
        if (_incarnation is not null)
        {
            return Answer(MediasoupResult.Rejected(RequestRouting.AlreadyJoined));
        }

        _joining = true;
        JoinOutcome outcome;
        try
        {
            outcome = await Room(session).Join(session, request);
        }
        finally
        {
            _joining = false;
        }

        _incarnation = outcome.Incarnation;
        return Answer(outcome.Result) with { RoomHost = outcome.Host };
    }

    private PeerAnswer Answer(MediasoupResult result) => new(result, _publisher?.LastSeq ?? 0);

    public async Task Notify(PeerSession session, JsonElement notification)
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

    public Task<PeerSnapshot> Describe() => Task.FromResult(new PeerSnapshot(
        _session, _incarnation, _closed, _publisher?.LastSeq ?? 0, GrainContext.ActivationId.ToString()));

    public Task Deliver(PeerSession session, Guid incarnation, JsonElement[] notifications)
    {
        if (IsLiveMember(session, incarnation))
        {
            foreach (var notification in notifications)
            {
                _publisher!.Publish(notification);
            }
        }

        return Task.CompletedTask;
    }

    public Task CloseByServer(PeerSession session, Guid incarnation, JsonElement? appData, string reason)
    {
        if (IsLiveMember(session, incarnation))
        {
            // `closed` is the only notification that gets through while closing (docs/protocol.md#server-notifications).
            _publisher!.Publish(ServerNotifications.Closed(appData));
            _closed = true;
            _publisher.End(new SessionEnd(CloseCodes.DoNotReconnect, reason));
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
        _session == session && !_closed && (_incarnation == incarnation || (_joining && _incarnation is null));

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
    private IRoomGrain Room(PeerSession session) => _room ??= GrainFactory.GetGrain<IRoomGrain>(session.RoomId);
}
