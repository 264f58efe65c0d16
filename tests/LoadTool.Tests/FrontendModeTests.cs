using Coordinator.TestSupport;
using Coordinator.Tools.LoadTest;

namespace Coordinator.LoadTool.Tests;

/// <summary><c>--mode frontend</c>: the sequence workload, every peer a session of one frontend connection.</summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class FrontendModeTests(EmbeddedNode node)
{
    [Fact]
    public async Task A_short_frontend_run_completes_sequences_over_sessions_without_errors()
    {
        var result = await LoadRunner.RunAsync(new LoadOptions
        {
            Mode = LoadMode.Frontend,
            Url = node.BaseUri,
            Connections = 40,
            Peers = 4,
            Duration = TimeSpan.FromSeconds(2),
            Warmup = TimeSpan.FromSeconds(0.5),
        });
        var table = new StringWriter();
        Report.WriteTable(result, table);

        Assert.Equal(0, result.ErrorCount);
        Assert.Empty(result.Errors);
        Assert.True(result.Completed > 40, $"only {result.Completed} sequences by 40 sessions in 2 s");
        Assert.Equal("frontend", result.Mode);
        Assert.Contains("40 sessions in flight on one frontend connection, rooms of 4", table.ToString());

        // The same steps as a socket per peer: openSession is timed as connect, closeSession as close.
        foreach (var step in new[] { "connect", "join", "createTransport", "createProducer", "close", "sequence" })
        {
            Assert.True(result.Methods.TryGetValue(step, out var summary) && summary.Count > 0, $"no samples for {step}");
        }

        Assert.Equal(result.Completed, result.Methods["sequence"].Count);
        Assert.False(result.Methods.ContainsKey("queryRoom"));

        // The sessions of a room see each other, as sockets do.
        foreach (var notification in new[] { "newPeer", "newConsumer", "peerClosed" })
        {
            Assert.True(result.Notifications.TryGetValue(notification, out var summary) && summary.Count > 0, $"no samples for {notification}");
        }
    }

    [Fact]
    public async Task A_frontend_run_that_cannot_connect_does_not_start()
    {
        var nowhere = new Uri($"ws://127.0.0.1:{FreePort.Next()}");

        var refused = await Assert.ThrowsAsync<RunCannotStartException>(() => LoadRunner.RunAsync(new LoadOptions
        {
            Mode = LoadMode.Frontend,
            Url = nowhere,
            Connections = 4,
            Duration = TimeSpan.FromSeconds(1),
            Warmup = TimeSpan.Zero,
            Timeout = TimeSpan.FromSeconds(3),
        }));

        Assert.Contains("cannot open the frontend connection", refused.Message);
    }

    [Fact]
    public void Frontend_options_default_to_1000_sessions_and_the_sequence_timing()
    {
        var frontend = LoadOptions.Parse(["--mode", "frontend"]);
        Assert.Equal("frontend", LoadOptions.ModeName(frontend.Mode));
        Assert.Equal((1000, 4), (frontend.EffectiveConnections, frontend.EffectivePeers));
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(2)), (frontend.EffectiveDuration!.Value, frontend.EffectiveWarmup));
        Assert.Equal("sequences", RunUnit.Plural(frontend.Mode));

        // One socket, whatever the number of sessions.
        Assert.Equal(1, OpenFileLimit.SocketsAtOnce(frontend));

        var paced = LoadOptions.Parse(["--mode", "frontend", "--connections", "200", "--rate", "300", "--iterations", "5"]);
        Assert.Equal((200, 300.0, 5), (paced.EffectiveConnections, paced.Rate!.Value, paced.EffectiveIterations!.Value));
        Assert.Null(paced.EffectiveDuration);

        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "frontend", "--rooms", "2"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mode", "frontend", "--connections", "64,16"]));
        Assert.Contains("--mode frontend", LoadOptions.Usage);
    }
}
