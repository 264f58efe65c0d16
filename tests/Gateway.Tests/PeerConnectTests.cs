using System.Net.WebSockets;
using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.Grains.Interfaces;
using Coordinator.Tools.Protoo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Messaging;

namespace Coordinator.Gateway.Tests;

/// <summary>A node whose <c>IPeerGrain.Connect</c> calls for a few peer names go wrong on their way to the silo, or wait.</summary>
public sealed class ConnectFaultNode : EmbeddedNode
{
    /// <summary>The first Connect of this peer fails on its way to the silo.</summary>
    public const string UnluckyPeer = "unlucky";

    /// <summary>Each Connect of this peer is cancelled, as Orleans does when it gives up addressing a call.</summary>
    public const string UnreachablePeer = "unreachable";

    /// <summary>The first Connect of this peer waits until the test lets it go.</summary>
    public const string HeldPeer = "held";

    public ConnectFaultFilter Filter { get; } = new();

    internal PeerConnectOrder ConnectOrder => Services.GetRequiredService<PeerConnectOrder>();

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<IOutgoingGrainCallFilter>(Filter);

    public sealed class ConnectFaultFilter : IOutgoingGrainCallFilter
    {
        private int _refused;
        private int _held;
        private readonly TaskCompletionSource _heldConnectArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<Guid> _connected = [];

        public int Refused => Volatile.Read(ref _refused);

        /// <summary>Completes once the first Connect of <see cref="HeldPeer"/> is being held.</summary>
        public Task HeldConnectArrived => _heldConnectArrived.Task;

        /// <summary>The sessions of <see cref="HeldPeer"/> whose Connect reached the Peer, in the order their calls completed.</summary>
        public IReadOnlyList<Guid> HeldPeerConnected
        {
            get
            {
                lock (_connected)
                {
                    return [.. _connected];
                }
            }
        }

        /// <summary>Lets the held Connect go on to the silo.</summary>
        public void Release() => _release.TrySetResult();

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            var session = context.InterfaceMethod?.Name == nameof(IPeerGrain.Connect) ? context.Request.GetArgument(0) as PeerSession : null;
            switch (session?.PeerName)
            {
                case UnluckyPeer when Interlocked.CompareExchange(ref _refused, 1, 0) == 0:
                    throw new ConnectionFailedException("refused on its way (test)");
                case UnreachablePeer:
                    throw new OperationCanceledException("addressing cancelled (test)");
                case HeldPeer:
                    if (Interlocked.CompareExchange(ref _held, 1, 0) == 0)
                    {
                        _heldConnectArrived.TrySetResult();
                        await _release.Task;
                    }

                    await context.Invoke();
                    lock (_connected)
                    {
                        _connected.Add(session.SessionId);
                    }

                    return;
                default:
                    await context.Invoke();
                    return;
            }
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
        await using var older = await node.ConnectAsync(room, ConnectFaultNode.HeldPeer);
        await node.Filter.HeldConnectArrived.WaitAsync(Timeout);
        await using var newer = await node.ConnectAsync(room, ConnectFaultNode.HeldPeer);

        node.Filter.Release();

        Assert.Equal((WebSocketCloseStatus)CloseCodes.DoNotReconnect, await older.WaitForCloseAsync().WaitAsync(Timeout));
        Assert.Equal("replaced by a newer connection for the same peer", older.CloseDescription);
        await newer.JoinAsync().Ok();
        Assert.Equal(2, node.Filter.HeldPeerConnected.Count);
        Assert.Null(newer.CloseStatus);
        await ProtooClient.WaitUntil(() => node.ConnectOrder.PeersConnecting == 0, "every connect turn is given back");
    }
}
