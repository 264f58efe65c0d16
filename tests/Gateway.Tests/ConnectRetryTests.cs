using System.Net.WebSockets;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.Grains.Interfaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Messaging;

namespace Coordinator.Gateway.Tests;

/// <summary>A node whose first <c>IPeerGrain.Connect</c> call for <see cref="UnluckyPeer"/> fails on its way to the silo.</summary>
public sealed class RefusedConnectNode : EmbeddedNode
{
    public const string UnluckyPeer = "unlucky";

    /// <summary>Each Connect of this peer is cancelled, as Orleans does when it gives up addressing a call.</summary>
    public const string UnreachablePeer = "unreachable";

    public ConnectFaultFilter Filter { get; } = new();

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<IOutgoingGrainCallFilter>(Filter);

    /// <summary>Fails the first Connect of <see cref="UnluckyPeer"/> as Orleans does when a connection to a silo is lost, and every Connect of <see cref="UnreachablePeer"/>.</summary>
    public sealed class ConnectFaultFilter : IOutgoingGrainCallFilter
    {
        private int _refused;

        public int Refused => Volatile.Read(ref _refused);

        public Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(IPeerGrain.Connect)
                && context.Request.GetArgument(0) is PeerSession { PeerName: UnluckyPeer }
                && Interlocked.CompareExchange(ref _refused, 1, 0) == 0)
            {
                throw new ConnectionFailedException("refused on its way (test)");
            }

            if (context.InterfaceMethod?.Name == nameof(IPeerGrain.Connect)
                && context.Request.GetArgument(0) is PeerSession { PeerName: UnreachablePeer })
            {
                throw new OperationCanceledException("addressing cancelled (test)");
            }

            return context.Invoke();
        }
    }
}

public sealed class ConnectRetryTests(RefusedConnectNode node) : IClassFixture<RefusedConnectNode>
{
    [Fact]
    public async Task A_connect_refused_on_its_way_to_the_silo_goes_once_more_and_the_session_serves()
    {
        var room = $"room-{Guid.NewGuid():N}";
        await using var peer = await node.ConnectAsync(room, RefusedConnectNode.UnluckyPeer);

        Assert.True((await peer.QueryRoomAsync()).GetProperty("ok").GetBoolean());
        await peer.JoinAsync().Ok();
        Assert.Equal(1, node.Filter.Refused);
        Assert.Null(peer.CloseStatus);
    }

    [Fact]
    public async Task A_connect_that_cannot_reach_its_peer_closes_the_socket_with_a_reason()
    {
        await using var peer = await node.ConnectAsync($"room-{Guid.NewGuid():N}", RefusedConnectNode.UnreachablePeer);

        Assert.Equal(WebSocketCloseStatus.InternalServerError, await peer.WaitForCloseAsync());
        Assert.Equal("service unavailable", peer.CloseDescription);
    }
}
