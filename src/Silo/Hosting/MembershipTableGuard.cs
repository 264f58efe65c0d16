using Coordinator.Silo.Workers.Native;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Keeps this silo in its Redis membership table through a restart of Redis that lost the table
/// (no persistence, or the key deleted). Orleans cannot rebuild a table under running silos: they
/// would retry failing table updates for ever, and a silo that reads a newer table without its
/// own row declares itself dead. So while the table is healthy this guard keeps a copy of it, and
/// when this silo's row is gone it writes the copy back (<see cref="MembershipTableCopy"/>): every
/// silo and gateway carries on, and no room is closed. While Redis is unreachable or slow the
/// silo keeps serving and the guard looks again. Only if the row stays gone although the copy was
/// written back does the silo stop with <see cref="ExitCode"/>, for its supervisor to restart it.
/// </summary>
internal sealed partial class MembershipTableGuard(
    ClusterSettings cluster,
    IOptions<ClusterOptions> clusterOptions,
    ILocalSiloDetails localSilo,
    IClusterMembershipService membership,
    IHostApplicationLifetime lifetime,
    ILogger<MembershipTableGuard> logger) : BackgroundService
{
    public const int ExitCode = 75;
    private static readonly TimeSpan CheckPeriod = TimeSpan.FromSeconds(2);

    /// <summary>Looks that find the row gone before the copy is written back: one could be a read racing a re-insert.</summary>
    private const int MissesBeforeRestoring = 2;

    /// <summary>Looks after that, with the copy written back each time, before this silo gives up.</summary>
    private const int MissesBeforeStopping = 15;

    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var key = RedisClusteringOptions.DefaultCreateRedisKey(clusterOptions.Value);
        var ownRow = localSilo.SiloAddress.ToString(); // Orleans.Clustering.Redis names a silo's row so
        using var redis = await ConnectionMultiplexer.ConnectAsync(CoordinatorSilo.RedisConfiguration(cluster));
        var copy = new MembershipTableCopy(key);
        var seen = false;
        var misses = 0;
        using var timer = new PeriodicTimer(CheckPeriod);
        while (await timer.TickOrStopAsync(stopping))
        {
            try
            {
                var database = redis.GetDatabase();
                var table = await database.HashGetAllAsync(key);
                var present = table.Any(field => field.Name == ownRow);

                // Active means this silo's row was written, even if the store was lost before the first look.
                seen |= present || membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress) == SiloStatus.Active;
                if (present)
                {
                    var rowsBefore = copy.Rows;
                    copy.Keep(table);
                    if (copy.Rows != rowsBefore)
                    {
                        LogCopyKept(copy.Rows);
                    }

                    misses = 0;
                    continue;
                }

                if (!seen || ++misses < MissesBeforeRestoring)
                {
                    continue;
                }

                if (misses == MissesBeforeRestoring)
                {
                    LogTableLost(key.ToString());
                }

                if (misses < MissesBeforeStopping)
                {
                    var restored = await copy.WriteBackAsync(database);
                    LogWriteBack(restored ? "written back" : "not needed (another silo wrote its copy first)", copy.Rows);
                    continue;
                }
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                // Unreachable or slow is not lost: keep serving and look again. Any failure counts as
                // that: the Redis client itself has thrown pipeline errors while the server was frozen.
                LogLookFailed(exception.GetType().Name, exception.Message);
                continue;
            }

            await StopForRestartAsync(key.ToString());
            return;
        }
    }

    private async Task StopForRestartAsync(string key)
    {
        LogGivingUp(key, MissesBeforeStopping * CheckPeriod.TotalSeconds);
        Environment.ExitCode = ExitCode;
        lifetime.StopApplication();

        // A silo's graceful stop writes to the membership table, which is broken: it can hang.
        // Workers exit with their parent's channel, so an immediate exit loses nothing more.
        await Task.Delay(StopGracePeriod, CancellationToken.None);
        LogForcedExit(StopGracePeriod.TotalSeconds);
        Libc.ExitImmediately(ExitCode);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the membership table ({Type}: {Reason}); looking again")]
    private partial void LogLookFailed(string type, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The silo did not stop within {Seconds} s: exiting now")]
    private partial void LogForcedExit(double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "This silo's row is gone from the membership table {Key} (Redis restarted without persistence?): writing back the last copy of the table")]
    private partial void LogTableLost(string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Membership table copy now holds {Rows} rows (silos, live or dead)")]
    private partial void LogCopyKept(int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Membership table copy of {Rows} rows {Outcome}")]
    private partial void LogWriteBack(string outcome, int rows);

    [LoggerMessage(Level = LogLevel.Critical, Message = "This silo's row has stayed out of the membership table {Key} for {Seconds} s although its copy was written back: stopping so that the supervisor restarts it into the cluster")]
    private partial void LogGivingUp(string key, double seconds);
}
