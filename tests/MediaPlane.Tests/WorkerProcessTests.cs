using System.Diagnostics;
using Coordinator.Silo.Workers;
using Coordinator.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Coordinator.MediaPlane.Tests;

/// <summary>Process lifecycle of one real worker: start failures, SIGKILL detection, stop, fd hygiene.</summary>
public sealed class WorkerProcessTests(ITestOutputHelper output)
{
    private readonly TestLoggerFactory _loggers = new(output);

    [Fact]
    public async Task A_worker_killed_with_sigkill_is_detected_within_a_second_and_pending_requests_fail()
    {
        await using var worker = await WorkerBinary.StartAsync("kill", 42000, 42999, _loggers);
        var routerId = worker.ObjectIds.Next();
        await worker.Channel.RequestAsync("worker.createRouter", new WorkerInternal(RouterId: routerId));

        // This request never gets a reply; only the worker's death can end it.
        var pending = worker.Channel.RequestAsync(
            "router.setAudioLevelsEvent", new WorkerInternal(RouterId: routerId), new { enabled = false }, TimeSpan.FromSeconds(7));
        await Eventually.True(() => worker.Channel.PendingCount == 1, TimeSpan.FromSeconds(1), "the request to be pending");
        var closedAt = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        worker.Channel.Closed += (_, _) => closedAt.TrySetResult(clock.Elapsed);

        clock.Start();
        Assert.True(worker.Signal(9));
        var reason = await Eventually.Within(worker.Terminated, TimeSpan.FromSeconds(1), "the worker's death to be noticed");
        var detected = clock.Elapsed;
        var error = await Assert.ThrowsAsync<WorkerClosedException>(() => pending);
        var failed = clock.Elapsed;

        output.WriteLine($"SIGKILL -> channel closed {(await closedAt.Task).TotalMilliseconds:0.0} ms, Terminated {detected.TotalMilliseconds:0.0} ms, pending request failed {failed.TotalMilliseconds:0.0} ms: {reason}");
        Assert.InRange(failed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Contains("SIGKILL", reason, StringComparison.Ordinal);
        Assert.Contains(worker.Id, error.Message, StringComparison.Ordinal);
        Assert.Equal(9, (await worker.Exited).Signal);
        Assert.False(worker.IsAlive);
        Assert.False(WorkerBinary.ProcessExists(worker.Pid));
    }

    [Fact]
    public async Task Stop_leaves_no_process_behind()
    {
        var worker = await WorkerBinary.StartAsync("stop", 42000, 42999, _loggers);
        var pid = worker.Pid;
        Assert.True(WorkerBinary.ProcessExists(pid));
        var clock = Stopwatch.StartNew();
        await worker.StopAsync();
        output.WriteLine($"StopAsync took {clock.Elapsed.TotalMilliseconds:0.0} ms");

        Assert.Equal(0, (await worker.Exited).ExitCode);
        Assert.False(WorkerBinary.ProcessExists(pid), $"/proc/{pid} still exists");
        Assert.True(worker.Channel.IsClosed);
        await worker.StopAsync(); // idempotent
        await worker.DisposeAsync();
    }

    [Fact]
    public async Task Closing_the_channel_makes_the_worker_exit_even_with_other_children_around()
    {
        // Worker A, then worker B and an unrelated child started later: neither may hold a copy of
        // A's parent end, otherwise A would never see EOF.
        await using var a = await WorkerBinary.StartAsync("eof-a", 42000, 42499, _loggers);
        await using var b = await WorkerBinary.StartAsync("eof-b", 42500, 42999, _loggers);
        using var sleeper = Process.Start(new ProcessStartInfo("/bin/sleep", "30") { UseShellExecute = false })!;
        try
        {
            var childFds = Directory.GetFileSystemEntries($"/proc/{b.Pid}/fd").Select(Path.GetFileName).ToHashSet();
            output.WriteLine($"worker B fds: {string.Join(' ', childFds.Order())}");
            Assert.Contains("3", childFds);

            var clock = Stopwatch.StartNew();
            a.Channel.Close("test closes the channel");
            var status = await Eventually.Within(a.Exited, TimeSpan.FromSeconds(1), "worker A to exit on channel EOF");
            output.WriteLine($"channel close -> exit in {clock.Elapsed.TotalMilliseconds:0.0} ms ({status})");
            Assert.Equal(0, status.ExitCode);
            Assert.True(b.IsAlive);
        }
        finally
        {
            sleeper.Kill();
            await sleeper.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_configuration_error_fails_startup_with_what_the_worker_printed()
    {
        var error = await Assert.ThrowsAsync<WorkerStartException>(() =>
            WorkerBinary.StartAsync("badconfig", 42000, 42999, _loggers, o => o.LogLevel = "foo"));
        output.WriteLine(error.Message);
        Assert.Contains("exited before answering", error.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid value 'foo' for logLevel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unbindable_ip_fails_startup_with_the_reason()
    {
        var error = await Assert.ThrowsAsync<WorkerStartException>(() =>
            WorkerBinary.StartAsync("badip", 42000, 42999, _loggers, o => o.RtcIPv4 = "10.255.255.1"));
        output.WriteLine(error.Message);
        Assert.Contains("cannot bind on '10.255.255.1' for rtcIPv4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binary_that_cannot_be_executed_fails_with_the_errno_and_how_to_get_one()
    {
        var notExecutable = Path.GetTempFileName();
        try
        {
            var error = await Assert.ThrowsAsync<WorkerStartException>(() => MediaWorker.StartAsync(
                new WorkerStartInfo(notExecutable, ["test#1"])));
            output.WriteLine(error.Message);
            Assert.Contains("Permission denied", error.Message, StringComparison.Ordinal);
            Assert.Contains("scripts/build-worker.sh", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(notExecutable);
        }
    }

    [Fact]
    public async Task A_missing_binary_fails_with_how_to_get_one()
    {
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => MediaWorker.StartAsync(
            new WorkerStartInfo("/nonexistent/mediasoup-worker", ["test#1"])));
        Assert.Contains("scripts/build-worker.sh", error.Message, StringComparison.Ordinal);
    }
}
