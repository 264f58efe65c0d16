using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// One headless Chromium, run by <c>web/driver.mjs</c> (a Node process we start and own). Commands
/// and answers are JSON lines on the driver's stdin/stdout; its stderr (the page logs) goes to the
/// test output. Disposing quits the driver and, failing that, kills its whole process tree
/// (the Chromium processes are its children).
/// </summary>
public sealed class BrowserDriver : IAsyncDisposable
{
    public const string VerboseVariable = "BROWSER_TESTS_VERBOSE";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(20);

    // The driver enforces each command's own timeout; this margin only catches a driver that hangs.
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly ITestOutputHelper _output;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource<JsonElement> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _recentLog = new();
    private readonly List<TestPage> _pages = [];
    private readonly List<RoomPage> _roomPages = [];
    private readonly List<DashboardPage> _dashboards = [];
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private long _nextId;

    private BrowserDriver(Process process, ITestOutputHelper output)
    {
        _process = process;
        _output = output;
    }

    public IReadOnlyList<TestPage> Pages => _pages;

    public static async Task<BrowserDriver> StartAsync(string chromiumPath, Uri gatewayUri, WebBundle web, ITestOutputHelper output)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = web.Directory,
        };
        start.ArgumentList.Add(web.DriverScript);
        start.ArgumentList.Add("--chromium");
        start.ArgumentList.Add(chromiumPath);
        start.ArgumentList.Add("--gateway");
        start.ArgumentList.Add(gatewayUri.GetLeftPart(UriPartial.Authority));
        if (Environment.GetEnvironmentVariable(VerboseVariable) is "1" or "true")
        {
            start.ArgumentList.Add("--verbose");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var driver = new BrowserDriver(process, output);
        _ = driver.ReadAnswersAsync();
        _ = driver.ReadLogAsync();
        try
        {
            var ready = await driver._ready.Task.WaitAsync(StartTimeout);
            driver.Log($"[driver] Chromium {ready.GetProperty("browserVersion")} serving {ready.GetProperty("pageUrl")}, gateway {gatewayUri}");
            return driver;
        }
        catch (Exception error)
        {
            await driver.DisposeAsync();
            throw new InvalidOperationException($"the browser driver did not start: {error.Message}\n{driver.RecentLog()}", error);
        }
    }

    /// <summary>Opens a tab that will act as the peer <paramref name="name"/>.</summary>
    public async Task<TestPage> OpenPageAsync(string name)
    {
        await SendAsync(new JsonObject { ["op"] = "open", ["page"] = name });
        var page = new TestPage(this, name);
        _pages.Add(page);
        return page;
    }

    /// <summary>Opens a tab named <paramref name="name"/> at <paramref name="url"/>: the room page the gateway serves.</summary>
    public async Task<RoomPage> OpenRoomPageAsync(string name, Uri url)
    {
        await SendAsync(new JsonObject { ["op"] = "open", ["page"] = name, ["url"] = url.ToString() });
        var page = new RoomPage(this, name);
        _roomPages.Add(page);
        return page;
    }

    /// <summary>Opens a tab named <paramref name="name"/> at <paramref name="url"/>: the dashboard the gateway serves.</summary>
    public async Task<DashboardPage> OpenDashboardAsync(string name, Uri url)
    {
        await SendAsync(new JsonObject { ["op"] = "open", ["page"] = name, ["url"] = url.ToString() });
        var page = new DashboardPage(this, name);
        _dashboards.Add(page);
        return page;
    }

    /// <summary>Fails the test if any page reported a client error (page error, console.error, rejected promise).</summary>
    public async Task AssertNoClientErrorsAsync()
    {
        var problems = new List<string>();
        foreach (var name in _pages.Select(page => page.Name).Concat(_roomPages.Select(page => page.Name)).Concat(_dashboards.Select(page => page.Name)))
        {
            var log = await LogOfAsync(name);
            problems.AddRange(log.Errors.Select(error => $"{name}: [{error.Source}] {error.Message}"));
        }

        Assert.True(problems.Count == 0, $"client errors:\n{string.Join('\n', problems)}");
    }

    /// <summary>What the driver recorded for the page named <paramref name="name"/>.</summary>
    internal async Task<PageLog> LogOfAsync(string name)
    {
        var result = await SendAsync(new JsonObject { ["op"] = "log", ["page"] = name });
        var events = result.GetProperty("events").Deserialize<PageEvent[]>(JsonSerializerOptions.Web)!
            .Select((pageEvent, index) => pageEvent with { Index = index })
            .ToList();
        return new PageLog(events, result.GetProperty("errors").Deserialize<PageError[]>(JsonSerializerOptions.Web)!);
    }

    internal async Task<JsonElement> SendAsync(JsonObject command, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultCommandTimeout;
        var id = Interlocked.Increment(ref _nextId);
        command["id"] = id;
        command["timeoutMs"] = (long)limit.TotalMilliseconds;
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;

        await _writeLock.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command.ToJsonString());
            await _process.StandardInput.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }

        JsonElement message;
        try
        {
            message = await answer.Task.WaitAsync(limit + AnswerMargin);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the browser driver did not answer {command.ToJsonString()}\n{RecentLog()}");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }

        return message.GetProperty("ok").GetBoolean()
            ? message.GetProperty("result")
            : throw new BrowserCommandException($"{command["op"]} {command["page"]} {command["fn"]}: {message.GetProperty("error").GetString()}");
    }

    private async Task ReadAnswersAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            JsonElement message;
            try
            {
                message = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                Log($"[driver stdout] {line}");
                continue;
            }

            if (message.TryGetProperty("ready", out _))
            {
                _ready.TrySetResult(message);
            }
            else if (message.TryGetProperty("id", out var id) && _pending.TryGetValue(id.GetInt64(), out var answer))
            {
                answer.TrySetResult(message);
            }
        }

        // The driver is gone: nothing pending will ever be answered.
        var gone = new InvalidOperationException($"the browser driver exited\n{RecentLog()}");
        _ready.TrySetException(gone);
        foreach (var answer in _pending.Values)
        {
            answer.TrySetException(gone);
        }
    }

    private async Task ReadLogAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            Log(line);
        }
    }

    private void Log(string line)
    {
        lock (_recentLog)
        {
            _recentLog.Enqueue(line);
            if (_recentLog.Count > 60)
            {
                _recentLog.Dequeue();
            }
        }

        try
        {
            _output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test already finished (late browser output during teardown).
        }
    }

    private string RecentLog()
    {
        lock (_recentLog)
        {
            return "recent driver log:\n" + string.Join('\n', _recentLog);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("""{"id":0,"op":"quit"}""");
                await _process.StandardInput.FlushAsync();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception error) when (error is TimeoutException or IOException or InvalidOperationException)
        {
            // Fall through to the kill below.
        }
        finally
        {
            if (!_process.HasExited)
            {
                // Only the tree we started: node driver.mjs and its Chromium children.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            _writeLock.Dispose();
        }
    }
}

public sealed class BrowserCommandException(string message) : Exception(message);
