using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Gateway.Tests;

/// <summary>A node whose request deadline is short, with a test filter that can hold a join in the Room.</summary>
public sealed class SlowRoomNode : EmbeddedNode
{
    public const string SlowPeer = "slowpoke";

    /// <summary>
    /// Short, yet long enough for the other peer's join, the node's first (a room and its router
    /// created, code compiled): on a loaded CI machine that one took more than 500 ms.
    /// </summary>
    public const int DeadlineMilliseconds = 3000;

    public HoldJoinFilter Filter { get; } = new();

    protected override IEnumerable<string> Settings => [$"--Gateway:RequestTimeout={TimeSpan.FromMilliseconds(DeadlineMilliseconds):c}"];

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<IIncomingGrainCallFilter>(Filter);

    /// <summary>Holds <c>IRoomGrain.Join</c> for <see cref="SlowPeer"/> until released.</summary>
    public sealed class HoldJoinFilter : IIncomingGrainCallFilter
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(IRoomGrain.Join)
                && context.Request.GetArgument(0) is PeerSession { PeerName: SlowPeer })
            {
                await _release.Task;
            }

            await context.Invoke();
        }
    }
}

public sealed class RequestDeadlineTests(SlowRoomNode node) : IClassFixture<SlowRoomNode>
{
    [Fact]
    public async Task A_request_that_cannot_finish_in_time_is_answered_with_an_error_and_its_late_effect_is_undone()
    {
        var room = $"room-{Guid.NewGuid():N}";
        await using var alice = await node.JoinedPeerAsync(room, "alice");
        await using var slow = await node.ConnectAsync(room, SlowRoomNode.SlowPeer);

        var response = await slow.JoinAsync();

        JsonExpect.ErrorResponse(response, 408, $"request timed out after {SlowRoomNode.DeadlineMilliseconds} ms");

        // The Room finishes the join after the client was told it failed: the gateway leaves again.
        node.Filter.Release();
        await alice.WaitForNotificationAsync("peerClosed", n => n.GetProperty("name").GetString() == SlowRoomNode.SlowPeer);
        var roomGrain = node.Services.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>(room);
        await Eventually.True(async () => (await roomGrain.Describe()).Peers.SequenceEqual(["alice"]), TimeSpan.FromSeconds(5), "the late join to be undone");

        // The socket stays usable.
        Assert.True((await slow.QueryRoomAsync()).GetProperty("ok").GetBoolean());
    }
}
