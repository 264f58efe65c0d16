using Coordinator.Gateway.Connections;
using Coordinator.TestSupport;
using CsCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coordinator.Gateway.Tests.Campaign;

/// <summary>A node with the default input bounds, a one-second message deadline and a readable log.</summary>
public sealed class BoundedInputNode : EmbeddedNode
{
    public LogCapture Log { get; } = new();

    protected override IEnumerable<string> Settings => ["--Gateway:MessageCompletionTimeout=00:00:01"];

    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddProvider(Log);
}

/// <summary>
/// The campaign's input that never becomes a message: generated unfinished messages (cut inside a
/// frame or between fragments, after 1 byte to 300 KB) and generated floods of frames that are not
/// protocol messages. Every such socket is closed with its code and a close frame, the bytes held
/// come back, the log stays short, and a well-behaved room alongside sees no failure.
/// </summary>
[Collection(CampaignCollection.Name)]
public sealed class PartialInputCampaignTests(BoundedInputNode node) : IClassFixture<BoundedInputNode>
{
    private sealed record Unfinished(int Bytes, int Fragments, bool CutInsideFrame);

    private static readonly Gen<Unfinished> UnfinishedMessage =
        Gen.Select(Gen.Int[1, 300_000], Gen.Int[1, 4], Gen.Bool, (bytes, fragments, cut) => new Unfinished(bytes, Math.Min(fragments, bytes), cut));

    [Fact]
    public async Task Unfinished_messages_of_every_shape_are_closed_with_1008_and_their_bytes_come_back()
    {
        var budget = node.Services.GetRequiredService<UnfinishedMessageBudget>();
        await using var bystander = await Bystander.StartAsync(node);

        await Check.SampleAsync(
            UnfinishedMessage.Array[10],
            async batch =>
            {
                var closes = await Task.WhenAll(batch.Select(SendAndAwaitCloseAsync));
                Assert.All(closes, close => Assert.Equal((1008, "message not completed within 1000 ms"), close));
            },
            iter: 6,
            threads: 1);

        await Eventually.True(() => budget.HeldBytes == 0, TimeSpan.FromSeconds(15), "every unfinished message's bytes to come back");
        await bystander.AssertUnaffectedAsync();
    }

    [Fact]
    public async Task Floods_of_frames_that_are_not_protocol_messages_are_closed_with_1008_in_few_log_lines()
    {
        await using var bystander = await Bystander.StartAsync(node);
        var garbage = HostileFrames.Any.Where(frame => !frame.IsRequest && !frame.IsWellFormedProtocol);

        await Check.SampleAsync(
            garbage.Array[500],
            async frames =>
            {
                var room = $"flood-{Guid.NewGuid():N}";
                await using var socket = await RawWebSocket.ConnectAsync(node.BaseUri, room, "flooder");
                try
                {
                    foreach (var frame in frames)
                    {
                        await socket.SendTextAsync(frame.Text);
                    }
                }
                catch (IOException)
                {
                    // Closed by the server before the flood ended.
                }

                Assert.Equal((1008, "more than 100 invalid messages within 10 s"), await socket.ReadCloseAsync(TimeSpan.FromSeconds(15)));
                await Eventually.True(() => node.Log.WarningsFor(room).Any(entry => entry.Message.StartsWith("Dropped ", StringComparison.Ordinal)),
                    TimeSpan.FromSeconds(15), "the summary written when the socket ends");
                Assert.Equal(3, node.Log.WarningsFor(room).Count); // first drop, the close, the summary
            },
            iter: 5,
            threads: 1);

        await bystander.AssertUnaffectedAsync();
    }

    private async Task<(int Code, string Reason)?> SendAndAwaitCloseAsync(Unfinished message)
    {
        await using var socket = await RawWebSocket.ConnectAsync(node.BaseUri, $"partial-{Guid.NewGuid():N}", "p");
        var payload = new byte[message.Bytes];
        payload.AsSpan().Fill((byte)'x');
        var size = message.Bytes / message.Fragments;
        for (var i = 0; i < message.Fragments; i++)
        {
            var part = payload.AsMemory(i * size, i == message.Fragments - 1 ? message.Bytes - (i * size) : size);
            var opcode = i == 0 ? RawWebSocket.Text : RawWebSocket.Continuation;
            var last = i == message.Fragments - 1;
            await socket.SendFrameAsync(opcode, part, fin: false, declaredLength: last && message.CutInsideFrame ? part.Length + 1 : null);
        }

        return await socket.ReadCloseAsync(TimeSpan.FromSeconds(15));
    }
}
