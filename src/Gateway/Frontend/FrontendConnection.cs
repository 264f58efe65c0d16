using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Coordinator.Gateway.Cluster;
using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Hosting;
using Coordinator.Grains.Interfaces;
using Coordinator.Protocol.Frontend;
using Coordinator.Protocol.Messages;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Gateway.Frontend;

/// <summary>
/// One frontend's WebSocket, carrying any number of peer sessions (docs/frontend-api.md). The
/// connection reads frames in order and hands each session's to that session; its own methods
/// (<c>openSession</c>, <c>closeSession</c>, a room's <c>queryRoom</c>) it answers itself.
/// </summary>
internal sealed partial class FrontendConnection
{
    private readonly ConcurrentDictionary<string, FrontendSession> _sessions = new(StringComparer.Ordinal);
    private readonly List<Task> _running = [];
    private readonly SocketWriter _writer;
    private readonly SocketReader _reader;
    private readonly InvalidFrames _invalidFrames;
    private readonly FrontendIdentity _identity;
    private readonly FrontendServices _services;
    private readonly ILogger _logger;

    public FrontendConnection(WebSocket socket, FrontendIdentity identity, FrontendServices services, ILogger logger)
    {
        (_identity, _services, _logger) = (identity, services, logger);
        _writer = new SocketWriter(socket, services.Frontend.MaxPendingFrames, services.Frontend.MaxPendingBytes, logger);
        _reader = new SocketReader(socket, _writer, services.Options, services.Budget, logger);
        _invalidFrames = new InvalidFrames(_writer, services.Options, logger);
    }

    /// <summary>Runs the connection until either side closes it; every session on it then ends.</summary>
    public Task RunAsync() => SocketLifetime.RunAsync(
        _writer,
        _invalidFrames,
        read: () => _reader.RunAsync(HandleMessageAsync, _writer.ReceiveAborted),
        end: EndSessionsAsync,
        _logger);

    private async Task EndSessionsAsync()
    {
        foreach (var session in _sessions.Values)
        {
            session.Output.CloseQuietly();
            session.End();
        }

        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }

        await Task.WhenAll(running);
    }

    private Task HandleMessageAsync(WebSocketMessageType type, IncomingMessage message)
    {
        if (type != WebSocketMessageType.Text)
        {
            message.Consume(_ => 0);
            _invalidFrames.Drop("binary frame");
            return Task.CompletedTask;
        }

        string? problem = null;
        var parsed = message.Consume(frame => ProtooMessage.Parse(frame, _services.Options.MaxJsonDepth, out problem));
        switch (parsed)
        {
            case ProtooRequest { Method: FrontendFrames.OpenSession } request:
                OpenSession(request);
                break;
            case ProtooRequest { Method: FrontendFrames.CloseSession } request:
                CloseSession(request);
                break;
            case ProtooRequest { Session: { } id } request:
                ToSession(id, request, request.Id);
                break;
            case ProtooNotification { Session: { } id } notification:
                ToSession(id, notification, requestId: null);
                break;
            case ProtooRequest { Method: ProtooFrames.MediasoupRequest } request:
                _ = QueryRoomAsync(request);
                break;
            case ProtooRequest request:
                Answer(ProtooFrames.Error(request.Id, 400, $"unknown request.method \"{request.Method}\""));
                break;
            case ProtooInvalidRequest invalid:
                Answer(ProtooFrames.Error(invalid.Id, 400, invalid.Reason));
                break;
            case ProtooNotification notification:
                _invalidFrames.Drop($"notification \"{notification.Method}\" without a session");
                break;
            default:
                _invalidFrames.Drop(problem ?? "unparsable frame");
                break;
        }

        return Task.CompletedTask;
    }

    private void ToSession(string id, ProtooMessage message, JsonElement? requestId)
    {
        if (!_sessions.TryGetValue(id, out var session) || session.Closing)
        {
            if (requestId is { } unknown)
            {
                Answer(ProtooFrames.Error(unknown, 404, $"no open session {FrontendFrames.Quote(id)}"));
            }
            else
            {
                _invalidFrames.Drop($"notification for no open session {FrontendFrames.Quote(id)}");
            }

            return;
        }

        if (!session.TryEnqueue(message))
        {
            if (requestId is { } busy)
            {
                session.Output.Send(ProtooFrames.Error(busy, 429, $"too many messages: at most {_services.Frontend.MaxQueuedMessagesPerSession} waiting per session"));
            }
            else
            {
                _invalidFrames.Drop($"notification over session {FrontendFrames.Quote(id)}'s queue");
            }
        }
    }

    private void OpenSession(ProtooRequest request)
    {
        if (FrontendSessionRequest.Read(request.Data, out var problem) is not { } open)
        {
            Answer(ProtooFrames.Error(request.Id, 400, problem!));
            return;
        }

        if (!_identity.Scope.Allows(open.RoomId))
        {
            Answer(ProtooFrames.Error(request.Id, 403, $"room {FrontendFrames.Quote(open.RoomId)} is outside this frontend's scope"));
            return;
        }

        if (_sessions.Count >= _services.Frontend.MaxSessions)
        {
            Answer(ProtooFrames.Error(request.Id, 429, $"too many sessions on this connection (limit {_services.Frontend.MaxSessions})"));
            return;
        }

        var sessionId = Guid.NewGuid();
        var peer = new PeerSession(open.RoomId, open.PeerName, sessionId, open.Grants, _services.Notifications.StreamFor(sessionId));
        var connectTurn = _services.ConnectOrder.Take(peer.PeerKey);
        FrontendSession? session = null;
        var output = new FrontendSessionOutput(_writer, open.Session, (_, _) => Ended(session!));
        var handler = new PeerSessionHandler(peer, connectTurn, _services.Grains, _services.Notifications, _services.PathLosses, _services.Options, output, _invalidFrames, _services.Tracker, _logger);
        session = new FrontendSession(open.Session, handler, output, _services.Frontend.MaxQueuedMessagesPerSession);
        if (!_sessions.TryAdd(open.Session, session))
        {
            connectTurn.Dispose(); // this session never connects
            Answer(ProtooFrames.Error(request.Id, 409, $"session {FrontendFrames.Quote(open.Session)} is already open"));
            return;
        }

        Run(session, request.Id);
    }

    private void Run(FrontendSession session, JsonElement openRequestId)
    {
        var peer = session.Handler.Session;
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["RoomId"] = peer.RoomId, ["PeerName"] = peer.PeerName, ["Frontend"] = _identity.Name });
        var running = Task.Run(async () =>
        {
            using (_services.Tracker.Track(session.Handler))
            {
                await session.RunAsync(failure =>
                {
                    if (failure is null)
                    {
                        Answer(ProtooFrames.Success(openRequestId, null));
                        return;
                    }

                    LogConnectionFailed(failure);
                    Answer(ProtooFrames.Error(openRequestId, 500, "service unavailable"));
                    session.Output.CloseQuietly();
                    Forget(session);
                });
            }
        });
        session.Running = running;
        lock (_running)
        {
            _running.RemoveAll(task => task.IsCompleted);
            _running.Add(running);
        }
    }

    /// <summary>
    /// The frontend ends a session: what it sent for it before is handled, its peer leaves, then
    /// the request is answered and the id is free again.
    /// </summary>
    private void CloseSession(ProtooRequest request)
    {
        var id = JsJson.StringProperty(request.Data, "session");
        if (id is null || !_sessions.TryGetValue(id, out var session) || session.Closing)
        {
            Answer(ProtooFrames.Error(request.Id, 404, $"no open session {(id is null ? "(data.session is not a string)" : FrontendFrames.Quote(id))}"));
            return;
        }

        session.EndAfterQueued();
        _ = AnswerWhenLeftAsync(session, request.Id);
    }

    private async Task AnswerWhenLeftAsync(FrontendSession session, JsonElement requestId)
    {
        // The run ends with the peer's leave, itself bounded by the request deadline.
        await session.Running;
        session.Output.CloseQuietly();
        Forget(session);
        Answer(ProtooFrames.Success(requestId, null));
    }

    /// <summary>The server ended a session (<c>sessionClosed</c> is on its way): its id is free again.</summary>
    private void Ended(FrontendSession session)
    {
        Forget(session);
        session.End();
    }

    private void Forget(FrontendSession session) =>
        _sessions.TryRemove(new KeyValuePair<string, FrontendSession>(session.Id, session));

    /// <summary>
    /// <c>queryRoom</c> for a room, without a session: <c>{"request":true,"id":N,"roomId":R,
    /// "method":"mediasoup-request","data":{"method":"queryRoom","target":"room"}}</c>.
    /// </summary>
    private async Task QueryRoomAsync(ProtooRequest request)
    {
        if (JsJson.StringProperty(request.Data, "method") != "queryRoom")
        {
            Answer(ProtooFrames.Error(request.Id, 400, "a mediasoup request without a session can only be queryRoom"));
            return;
        }

        if (request.RoomId is not { } roomId)
        {
            Answer(ProtooFrames.Error(request.Id, 400, "queryRoom without a session needs a roomId"));
            return;
        }

        if (PeerIdentifiers.Refusal("roomId", roomId) is { } refusal)
        {
            Answer(ProtooFrames.Error(request.Id, 400, refusal));
            return;
        }

        if (!_identity.Scope.Allows(roomId))
        {
            Answer(ProtooFrames.Error(request.Id, 403, $"room {FrontendFrames.Quote(roomId)} is outside this frontend's scope"));
            return;
        }

        try
        {
            var result = await _services.Grains.Reference<IRoomGrain>(roomId).QueryRoom(request.Data).WaitAsync(_services.Options.RequestTimeout);
            Answer(result.Ok ? ProtooFrames.Success(request.Id, result.Data) : ProtooFrames.Error(request.Id, result.ErrorCode, result.ErrorReason!));
        }
        catch (TimeoutException)
        {
            Answer(ProtooFrames.Error(request.Id, 408, $"request timed out after {_services.Options.RequestTimeout.TotalMilliseconds:0} ms"));
        }
        catch (Exception exception)
        {
            LogConnectionFailed(exception);
            Answer(ProtooFrames.Error(request.Id, 500, "Error: the request could not be processed"));
        }
    }

    /// <summary>An answer of the connection's own (not tagged with a session).</summary>
    private void Answer(byte[] frame) => _writer.Send(frame);

    [LoggerMessage(Level = LogLevel.Error, Message = "Frontend session failed")]
    private partial void LogConnectionFailed(Exception exception);
}
