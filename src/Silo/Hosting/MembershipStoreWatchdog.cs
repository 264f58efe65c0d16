using Coordinator.Silo.Workers.Native;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Stops this silo when the Redis membership table it joined has vanished or no longer lists it (Redis restarted
/// without persistence, or the key was deleted). Orleans cannot re-create the table under running
/// silos: they would retry failing table updates forever and the cluster could no longer detect
/// failures. Exiting (code 75) lets the supervisor (Docker's restart policy, systemd) start the
/// silo again, and it joins a fresh table. While Redis is unreachable the silo keeps serving.
/// </summary>
internal sealed partial class MembershipStoreWatchdog(
    ClusterSettings cluster,
    IOptions<ClusterOptions> clusterOptions,
    ILocalSiloDetails localSilo,
    IClusterMembershipService membership,
    IHostApplicationLifetime lifetime,
    ILogger<MembershipStoreWatchdog> logger) : BackgroundService
{
    public const int ExitCode = 75;
    private static readonly TimeSpan CheckPeriod = TimeSpan.FromSeconds(2);
    private const int MissesBeforeStopping = 3;
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var key = RedisClusteringOptions.DefaultCreateRedisKey(clusterOptions.Value);
        var ownRow = localSilo.SiloAddress.ToString(); // Orleans.Clustering.Redis names a silo's row so
        using var redis = await ConnectionMultiplexer.ConnectAsync(CoordinatorSilo.RedisConfiguration(cluster));
        var seen = false;
        var misses = 0;
        using var timer = new PeriodicTimer(CheckPeriod);
        while (await timer.TickOrStopAsync(stopping))
        {
            bool exists;
            try
            {
                // This silo's own row, not the key: another silo's write (its graceful stop, say) can
                // recreate the key in a fresh table that no longer lists this one.
                exists = await redis.GetDatabase().HashExistsAsync(key, ownRow);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                continue; // Unreachable or slow is not lost: keep serving and look again.
            }

            // Active means this silo's row was written, even if the store was lost before the first look.
            seen |= exists || membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress) == SiloStatus.Active;
            misses = exists || !seen ? 0 : misses + 1;
            if (misses >= MissesBeforeStopping)
            {
                LogTableLost(key.ToString());
                Environment.ExitCode = ExitCode;
                lifetime.StopApplication();

                // A silo's graceful stop writes to the membership table, which is gone: it can hang.
                // Workers exit with their parent's channel, so an immediate exit loses nothing more.
                await Task.Delay(StopGracePeriod, CancellationToken.None);
                LogForcedExit(StopGracePeriod.TotalSeconds);
                Libc.ExitImmediately(ExitCode);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The silo did not stop within {Seconds} s: exiting now")]
    private partial void LogForcedExit(double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The membership table {Key} is gone from Redis (restarted without persistence?): stopping this silo so that its supervisor restarts it into a fresh cluster")]
    private partial void LogTableLost(string key);
}
