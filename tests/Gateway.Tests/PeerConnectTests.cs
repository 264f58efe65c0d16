using System.Collections.Concurrent;
using System.Net.WebSockets;
using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Messaging;

namespace Coordinator.Gateway.Tests;

/// <summary>A node whose <c>IPeerGrain.Connect</c> calls go wrong on their way to the silo for a few peer names, or wait when a test holds them.</summary>
public sealed class ConnectFaultNode : EmbeddedNode
{
    /// <summary>The first Connect of this peer fails on its way to the silo.</summary>
    public const string UnluckyPeer = "unlucky";

    /// <summary>Each Connect of this peer is cancelled, as Orleans does when it gives up addressing a call.</summary>
    public const string UnreachablePeer = "unreachable";

    public ConnectFaultFilter Filter { get; } = new();

    internal PeerConnectOrder ConnectOrder => Services.GetRequiredService<PeerConnectOrder>();

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<IOutgoingGrainCallFilter>(Filter);

    /// <summary>A Connect held on its way to the silo until the test releases it.</summary>
    public sealed class HeldConnect
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the Connect is being held.</summary>
        public Task Arrived => _arrived.Task;

        public void Release() => _released.TrySetResult();

        internal Task HoldAsync()
        {
            _arrived.TrySetResult();
            return _released.Task;
        }
    }

    public sealed class ConnectFaultFilter : IOutgoingGrainCallFilter
    {
        private int _refused;
        private readonly ConcurrentDictionary<string, HeldConnect> _holds = new();

        public int Refused => Volatile.Read(ref _refused);

        /// <summary>The next Connect of a session of <paramref name="roomId"/> waits until released.</summary>
        public HeldConnect HoldNextConnect(string roomId) => _holds.GetOrAdd(roomId, _ => new HeldConnect());

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            var session = context.InterfaceMethod?.Name == nameof(IPeerGrain.Connect) ? context.Request.GetArgument(0) as PeerSession : null;
            if (session?.PeerName == UnluckyPeer && Interlocked.CompareExchange(ref _refused, 1, 0) == 0)
            {
                throw new ConnectionFailedException("refused on its way (test)");
            }

            if (session?.PeerName == UnreachablePeer)
            {
                throw new OperationCanceledException("addressing cancelled (test)");
            }

            if (session is not null && _holds.TryRemove(session.RoomId, out var hold))
            {
                await hold.HoldAsync();
            }

            await context.Invoke();
        }
    }
}

public sealed class PeerConnectTests(ConnectFaultNode node) : IClassFixture<ConnectFaultNode>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_connect_refused_on_its_way_to_the_silo_goes_once_more_and_the_session_serves()
    {
        var room = $"room-{Guid.NewGuid():N}";
        await using var peer = await node.ConnectAsync(room, ConnectFaultNode.UnluckyPeer);

        Assert.True((await peer.QueryRoomAsync()).GetProperty("ok").GetBoolean());
        await peer.JoinAsync().Ok();
        Assert.Equal(1, node.Filter.Refused);
        Assert.Null(peer.CloseStatus);
    }

    [Fact]
    public async Task A_connect_that_cannot_reach_its_peer_closes_the_socket_with_a_reason()
    {
        await using var peer = await node.ConnectAsync($"room-{Guid.NewGuid():N}", ConnectFaultNode.UnreachablePeer);

        Assert.Equal(WebSocketCloseStatus.InternalServerError, await peer.WaitForCloseAsync());
        Assert.Equal("service unavailable", peer.CloseDescription);
    }

    /// <summary>
    /// The older socket's Connect is held on its way; the newer socket must still be the one that
    /// holds the peer, as in the reference, where the socket that arrived last replaces the other.
    /// </summary>
    [Fact]
    public async Task The_newer_socket_keeps_the_peer_even_when_the_older_ones_connect_is_late()
    {
        var room = $"room-{Guid.NewGuid():N}";
        var held = node.Filter.HoldNextConnect(room);
        await using var older = await node.ConnectAsync(room, "alice");
        await held.Arrived.WaitAsync(Timeout);
        await using var newer = await node.ConnectAsync(room, "alice");

        held.Release();

        Assert.Equal((WebSocketCloseStatus)CloseCodes.DoNotReconnect, await older.WaitForCloseAsync().WaitAsync(Timeout));
        Assert.Equal("replaced by a newer connection for the same peer", older.CloseDescription);
        await newer.JoinAsync().Ok();
        Assert.Null(newer.CloseStatus);
        await ProtooClient.WaitUntil(() => node.ConnectOrder.PeersConnecting == 0, "every connect turn is given back");
    }

    /// <summary>The same for two sessions a frontend opens for one peer.</summary>
    [Fact]
    public async Task The_newer_frontend_session_keeps_the_peer_even_when_the_older_ones_connect_is_late()
    {
        var room = $"room-{Guid.NewGuid():N}";
        await using var frontend = await FrontendClient.ConnectAsync(node.BaseUri);
        var held = node.Filter.HoldNextConnect(room);
        var olderOpening = frontend.OpenSessionAsync("older", room, "alice");
        await held.Arrived.WaitAsync(Timeout);
        var newerOpening = frontend.OpenSessionAsync("newer", room, "alice");
        // The connection handles its frames in order: once this is answered, the newer session has opened.
        await frontend.QueryRoomAsync(room).WaitAsync(Timeout);

        held.Release();

        var older = await olderOpening.WaitAsync(Timeout);
        var newer = await newerOpening.WaitAsync(Timeout);
        var closed = await older.WaitForSessionClosedAsync().WaitAsync(Timeout);
        Assert.Equal(CloseCodes.DoNotReconnect, closed.GetProperty("code").GetInt32());
        await newer.JoinAsync(CapturedSession.JoinCapabilities).Ok();
        var sessionsClosed = frontend.Connection.Frames.Where(frame => ProtooClient.IsNotification(frame) && frame.GetProperty("method").GetString() == "sessionClosed");
        Assert.Equal(["older"], sessionsClosed.Select(frame => frame.GetProperty("session").GetString()));
    }
}
