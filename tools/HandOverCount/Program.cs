using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Diagnostics.Tracing.Etlx;

// Thread-pool hand-overs per sequence, by the code that made them (docs/performance.md#other-measuring-tools).
//
//   dotnet-trace collect -p NODE_PID --duration 00:00:00:04 -o handovers.nettrace \
//       --providers System.Diagnostics.Eventing.FrameworkEventSource:0x12:5
//   dotnet run -c Release --project tools/HandOverCount -- handovers.nettrace [--top 30] [--sequences N]
//
// Each ThreadPoolEnqueueWork event is one work item handed to the thread pool (a grain turn, a
// continuation, a socket completion). It is counted under the first two frames of its stack that
// are not the runtime's task, thread-pool or tracing machinery, or Orleans' scheduler. The counts
// are divided by the sequences the trace holds: by default the connections Kestrel accepted, one
// per sequence of the load tool's --mode sequence.
var path = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal)
    ? args[0]
    : throw new ArgumentException("usage: HandOverCount TRACE.nettrace [--top N] [--sequences N]");
var top = IntOption("--top") ?? 30;
var sequencesGiven = IntOption("--sequences");

using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(path));
var bySite = new Dictionary<string, int>();
var (handOvers, accepts) = (0, 0);
foreach (var traceEvent in log.Events)
{
    if (traceEvent.EventName != "ThreadPoolEnqueueWork")
    {
        continue;
    }

    handOvers++;
    var frames = new List<string>();
    for (var frame = traceEvent.CallStack(); frame is not null; frame = frame.Caller)
    {
        if (frame.CodeAddress.FullMethodName is { Length: > 0 } name)
        {
            frames.Add(name);
        }
    }

    if (frames.Exists(frame => frame.Contains("StartAcceptingConnectionsCore", StringComparison.Ordinal)))
    {
        accepts++;
    }

    var site = string.Join(" ← ", frames.Where(frame => !Machinery().IsMatch(frame)).Take(2).Select(Shorten));
    site = site.Length > 0 ? site : "(no frame outside the machinery)";
    bySite[site] = bySite.GetValueOrDefault(site) + 1;
}

var sequences = sequencesGiven ?? accepts;
if (sequences == 0)
{
    throw new InvalidOperationException("no accepted connection in the trace: give the number of sequences with --sequences");
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{handOvers} hand-overs to the thread pool, {sequences} sequences{(sequencesGiven is null ? " (connections accepted)" : "")}: {(double)handOvers / sequences:F1} per sequence"));
foreach (var (site, count) in bySite.OrderByDescending(entry => entry.Value).Take(top))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(double)count / sequences,7:F2}  {site}"));
}

int? IntOption(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : null;
}

static string Shorten(string method)
{
    var parameters = method.IndexOf('(', StringComparison.Ordinal);
    return parameters > 0 ? method[..parameters] : method;
}

/// <summary>Frames that only pass a work item along: the caller above them is the one that handed it over.</summary>
internal static partial class Program
{
    [GeneratedRegex(@"^(System\.Diagnostics\.Tracing\.|System\.Threading\.(ThreadPool|PortableThreadPool|Thread\.|ExecutionContext|Tasks\.(Task|TaskScheduler|TaskContinuation|AwaitTaskContinuation|TaskCompletionSource|ContinuationTaskFromTask|ContinueWithTaskContinuation|StandardTaskContinuation|ThreadPoolTaskScheduler|SynchronizationContextAwaitTaskContinuation|TaskSchedulerAwaitTaskContinuation|UnwrapPromise|Sources\.))|System\.Runtime\.CompilerServices\.|Orleans\.Runtime\.Scheduler\.|Orleans\.Runtime\.ActivationTaskScheduler)")]
    private static partial Regex Machinery();
}
