using Coordinator.Tools.LoadTest;

// Load generator for Coordinator over the real protoo WebSocket contract (see LoadOptions.Usage):
//   dotnet run -c Release --project tools/LoadTest -- --mode full --rooms 4 --peers 4
//   dotnet run -c Release --project tools/LoadTest -- --mode sequence --connections 64 --duration 20s --json seq.json
//   dotnet run -c Release --project tools/LoadTest -- --mode join-large --peers 50 --iterations 100
// A live progress line goes to stderr, the final table to stdout. Exit code 0 when no error occurred,
// 1 when some did, 2 for bad options.
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: start no new work and report; a second one ends the process.
    e.Cancel = !interrupt.IsCancellationRequested;
    interrupt.Cancel();
};

var result = await LoadRunner.RunAsync(options, options.Quiet ? null : Console.Error, interrupt.Token);
Report.WriteTable(result, Console.Out);
if (options.JsonPath is { } path)
{
    Report.WriteJson(result, path);
    Console.Error.WriteLine($"results written to {path}");
}

return result.ErrorCount == 0 ? 0 : 1;
