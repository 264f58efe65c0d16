using System.Diagnostics;
using System.Net.WebSockets;

namespace Coordinator.Tools.LoadTest;

/// <summary>
/// <c>--mode frontend</c>: the sequence workload of <see cref="Scenarios.SequenceAsync"/>, unchanged, with
/// every peer a session of one frontend connection instead of a protoo socket of its own, so that the two
/// runs differ only in how the peers reach the gateway.
/// </summary>
internal static class FrontendScenario
{
    public static async Task RunAsync(RunContext context, TextWriter? progress)
    {
        var options = context.Options;
        var start = Stopwatch.GetTimestamp();
        FrontendLink link;
        try
        {
            link = await FrontendLink.ConnectAsync(options.Url, context.FrontendToken(), options.Timeout);
        }
        catch (Exception exception) when (exception is WebSocketException or TimeoutException or HttpRequestException)
        {
            throw new RunCannotStartException($"cannot open the frontend connection to {new Uri(options.Url, "/frontend")}: {exception.Message}");
        }

        progress?.WriteLine($"frontend connection open in {Stopwatch.GetElapsedTime(start).TotalMilliseconds:0} ms; {options.EffectiveConnections} sessions in flight");
        await using (link)
        {
            context.OpenChannel = link.OpenSessionAsync;
            context.ProgressNote = () => $"sessions open {link.OpenSessions:N0}";
            await Scenarios.SequenceAsync(context);
            if (link.Closed.IsCompleted)
            {
                context.Recorder.Error($"the frontend connection closed during the run: {link.CloseCode?.ToString() ?? "no close frame"} {link.CloseDescription}");
            }
        }
    }
}
