using Coordinator.Tools.LoadTest;

// Load generator for Coordinator over the real protoo WebSocket contract (see LoadOptions.Usage):
//   dotnet run -c Release --project tools/LoadTest -- --mode full --rooms 4 --peers 4
//   dotnet run -c Release --project tools/LoadTest -- --mode sequence --connections 64 --duration 20s --json seq.json
//   dotnet run -c Release --project tools/LoadTest -- --mode join-large --peers 50 --iterations 100
//   dotnet run -c Release --project tools/LoadTest -- --mode idle --connections 5000 --peers 10 --server-pid <node pid>
//   dotnet run -c Release --project tools/LoadTest -- --mode storm --server-pid <node pid> --json storm.json
//   dotnet run -c Release --project tools/LoadTest -- --mode frontend --connections 1000 --server-pid <node pid>
//   dotnet run -c Release --project tools/LoadTest -- --mode compare --reference-url ws://127.0.0.1:4470 --reference-pid <pid> --server-pid <node pid>
// A live progress line goes to stderr, the final table to stdout. Exit code 0 when no error occurred,
// 1 when some did, 2 for bad options or a run that cannot start (e.g. too low an open-file limit).
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

var progress = options.Quiet ? null : Console.Error;
try
{
    long errors;
    if (options.Mode == LoadMode.Compare)
    {
        var comparison = await CompareRunner.RunAsync(options, progress, interrupt.Token);
        Report.WriteTable(comparison, Console.Out);
        if (options.JsonPath is { } path)
        {
            Report.WriteJson(comparison, path);
        }

        errors = comparison.ErrorCount;
    }
    else
    {
        var result = await LoadRunner.RunAsync(options, progress, interrupt.Token);
        Report.WriteTable(result, Console.Out);
        if (options.JsonPath is { } path)
        {
            Report.WriteJson(result, path);
        }

        errors = result.ErrorCount;
    }

    if (options.JsonPath is { } written)
    {
        Console.Error.WriteLine($"results written to {written}");
    }

    return errors == 0 ? 0 : 1;
}
catch (RunCannotStartException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}
