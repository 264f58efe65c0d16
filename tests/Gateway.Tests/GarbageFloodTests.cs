using System.Text;
using Coordinator.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Coordinator.Gateway.Tests;

/// <summary>A node with a low message rate whose log a test can read.</summary>
public sealed class GarbageFloodNode : EmbeddedNode
{
    public LogCapture Log { get; } = new();

    protected override IEnumerable<string> Settings =>
    [
        "--Gateway:MaxMessagesPerSecond=5",
        "--Gateway:MessageBurst=10",
    ];

    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddProvider(Log);
}

/// <summary>Frames the gateway drops: they count against the rate, a flood closes the socket, and the log stays short.</summary>
public sealed class GarbageFloodTests(GarbageFloodNode node) : IClassFixture<GarbageFloodNode>
{
    private readonly string _room = $"room-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_socket_flooding_frames_that_are_not_json_is_closed_with_1008_and_logged_in_three_lines()
    {
        await using var bystander = await Bystander.StartAsync(node);
        await using var flooder = await RawWebSocket.ConnectAsync(node.BaseUri, _room, "flooder");

        var sent = await FloodAsync(flooder, 10_000);
        var close = await flooder.ReadCloseAsync(TimeSpan.FromSeconds(15));
        await Eventually.True(() => node.Log.WarningsFor(_room).Any(entry => entry.Message.StartsWith("Dropped ", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15), "the summary written when the socket ends");
        var lines = node.Log.WarningsFor(_room).Select(entry => entry.Message).ToArray();

        Assert.Equal((1008, "more than 100 invalid messages within 10 s"), close);
        Assert.True(sent > 101, $"only {sent} frames could be sent");
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("Frame dropped: not JSON: 'not json 0'", lines[0]);
        Assert.Contains(lines, line => line == "Socket closed (1008): more than 100 invalid frames within 10 s");
        Assert.Contains(lines, line => line.StartsWith("Dropped ", StringComparison.Ordinal) && line.Contains("invalid frames in the last"));
        await bystander.AssertUnaffectedAsync();
    }

    [Fact]
    public async Task Frames_that_are_not_json_count_against_the_message_rate()
    {
        await using var socket = await RawWebSocket.ConnectAsync(node.BaseUri, _room, "garbage");

        for (var i = 0; i < 10; i++)
        {
            await socket.SendTextAsync($"not json {i}");
        }

        await socket.SendTextAsync(PartialInputTests.QueryRoomRequest(id: 1, padding: 0));
        var answer = await socket.ReadTextAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("\"errorCode\":429", answer);
    }

    [Fact]
    public async Task A_few_dropped_frames_are_logged_once_and_summarised_when_the_socket_ends()
    {
        await using (var socket = await RawWebSocket.ConnectAsync(node.BaseUri, _room, "careless"))
        {
            for (var i = 0; i < 5; i++)
            {
                await socket.SendTextAsync($"not json {i}");
            }

            await socket.SendTextAsync(PartialInputTests.QueryRoomRequest(id: 1, padding: 0));
            Assert.Contains("\"ok\":true", await socket.ReadTextAsync(TimeSpan.FromSeconds(10))); // all five were read
        }

        await Eventually.True(() => node.Log.WarningsFor(_room).Count == 2, TimeSpan.FromSeconds(15), "the summary written when the socket ends");
        var lines = node.Log.WarningsFor(_room).Select(entry => entry.Message).ToArray();

        Assert.StartsWith("Frame dropped: not JSON: 'not json 0'", lines[0]);
        Assert.Matches(@"^Dropped 4 invalid frames in the last [0-9.]+ s \(last reason: not JSON: 'not json 4'", lines[1]);
    }

    /// <summary>Sends up to <paramref name="frames"/> frames as fast as TCP takes them; stops when the server is gone.</summary>
    private static async Task<int> FloodAsync(RawWebSocket socket, int frames)
    {
        var sent = 0;
        try
        {
            for (; sent < frames; sent++)
            {
                await socket.SendFrameAsync(RawWebSocket.Text, Encoding.ASCII.GetBytes($"not json {sent}"));
            }
        }
        catch (IOException)
        {
            // The server closed the connection: the rest cannot be sent.
        }

        return sent;
    }
}
