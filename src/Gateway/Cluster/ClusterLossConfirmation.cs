using System.Diagnostics;

namespace Coordinator.Gateway.Cluster;

/// <summary>
/// Decides whether a reported loss of the whole cluster is real before every socket is closed.
/// Orleans opens a client's connections to silos lazily and reports the cluster lost when the last
/// open one closes, even while other silos it knows serve: a gateway that had sent everything
/// through the silo just killed would otherwise close the sockets of rooms on healthy silos too.
/// A call to the cluster makes Orleans connect to another silo it knows (and, once all it knows
/// failed, reread the list from the store), so the loss is real only if no call gets through
/// for <paramref name="grace"/>.
/// </summary>
internal sealed partial class ClusterLossConfirmation(
    Func<CancellationToken, Task<bool>> reachesActiveSilo,
    Action closeAll,
    TimeSpan grace,
    ILogger logger)
{
    /// <summary>Between two attempts that failed at once (a refused connection fails in milliseconds).</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    private int _confirming;

    /// <summary>Starts confirming, unless a confirmation is already under way; completes when it ends.</summary>
    public Task ConfirmAsync(CancellationToken stopping)
    {
        if (Interlocked.Exchange(ref _confirming, 1) == 1)
        {
            return Task.CompletedTask;
        }

        return Task.Run(() => RunAsync(stopping), CancellationToken.None);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            LogLastConnectionClosed(grace.TotalSeconds);
            var started = Stopwatch.GetTimestamp();
            while (!stopping.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < grace)
            {
                if (await AttemptAsync(stopping))
                {
                    LogReachedAgain(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    return;
                }

                await Task.Delay(Pause, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            if (!stopping.IsCancellationRequested)
            {
                LogClusterLost(grace.TotalSeconds);
                closeAll();
            }
        }
        finally
        {
            Volatile.Write(ref _confirming, 0);
        }
    }

    private async Task<bool> AttemptAsync(CancellationToken stopping)
    {
        try
        {
            return await reachesActiveSilo(stopping).WaitAsync(AttemptTimeout, stopping);
        }
        catch (Exception exception) when (!stopping.IsCancellationRequested)
        {
            LogAttemptFailed(exception.GetType().Name, exception.Message);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last open connection into the cluster closed: trying the other silos for {GraceSeconds} s before closing every socket")]
    private partial void LogLastConnectionClosed(double graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reached the cluster again after {Milliseconds:0} ms: no socket closed")]
    private partial void LogReachedAgain(double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The cluster did not answer: {Kind}: {Reason}")]
    private partial void LogAttemptFailed(string kind, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "No silo answered for {GraceSeconds} s: closing all sockets")]
    private partial void LogClusterLost(double graceSeconds);
}
