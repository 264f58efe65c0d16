using Coordinator.ChannelBenchmark;
using Coordinator.Silo.Workers;
using Xunit.Abstractions;

namespace Coordinator.LoadTool.Tests;

/// <summary>
/// A short run of the benchmark that measures the workers' own share of a sequence. It shares the
/// embedded node's collection so that it never runs beside the load runs on the same two cores.
/// </summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class MediaSequenceBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_short_run_completes_whole_rooms_and_measures_the_workers_CPU()
    {
        var options = new WorkerOptions { Count = 1, RtcMinPort = 43000, RtcMaxPort = 43999 };
        var log = new StringWriter();

        // Every close names an object the router still holds, or the router throws and the run fails.
        // A loaded CI machine can stall a one-second window, so the run measures until two rooms have completed.
        var result = await MediaSequenceBenchmark.RunAsync(
            options, session: null, connections: 8, warmup: TimeSpan.FromSeconds(0.5), duration: TimeSpan.FromSeconds(1), log,
            minimumSequences: 8);
        result.Print(log);
        output.WriteLine(log.ToString());

        Assert.True(result.Sequences >= 8, $"only {result.Sequences} sequences completed in {result.Elapsed}");
        Assert.Equal(0, result.Sequences % 4);
        Assert.True(result.WorkerCpu > TimeSpan.Zero, "the worker used no CPU");
        Assert.Contains("1 workers, 8 peers at once in rooms of 4", log.ToString());
    }
}
