using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Membership settings for quick failure detection. Orleans' defaults (10 s probes, 3 misses)
/// take about 30 s to declare a killed silo dead, and until then every call to a grain it hosted
/// fails or waits. Here a silo that misses two 1 s probes is suspected, and declared dead once
/// enough of the others agree (Orleans caps the votes needed at the number of live silos).
/// Orleans adapts the time between probes to the probes' observed response times and stretches it
/// while the local silo looks degraded (up to <c>MaxProbeTimeout</c>, 4 × <c>ProbeTimeout</c> by
/// default); on a busy machine that made a killed silo's death take 6 s instead of 1–2 s. Capping it
/// at 1.5 s bounds the detection at about 3 s; a silo that only stalls is still protected by
/// Orleans' check of recent traffic on its connection before any vote.
/// Everything can be overridden in <c>Orleans:Membership</c> (the <see cref="ClusterMembershipOptions"/> names).
/// </summary>
public static class MembershipTuning
{
    public static void Apply(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(1);
            options.MaxProbeTimeout = TimeSpan.FromSeconds(1.5);
            options.NumMissedProbesLimit = 2;
            options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(5);
            configuration.GetSection($"{ClusterSettings.Section}:Membership").Bind(options);
        });
    }

    /// <summary>
    /// A silo keeps a disconnected client's (gateway's) messages for <c>ClientDropTimeout</c> in case
    /// it reconnects; meanwhile every stream delivery to it waits, and a stream queue's pulling agent
    /// with it. A gateway that reconnects does so within a second or two, so 5 s (Orleans: 1 min)
    /// lets the other sockets' notifications through quickly after a gateway dies.
    /// </summary>
    public static void ApplyClientDrop(IServiceCollection services, IConfiguration configuration) =>
        services.Configure<SiloMessagingOptions>(options =>
        {
            options.ClientDropTimeout = TimeSpan.FromSeconds(5);

            // A stream delivery to a gateway that died waits for this (Orleans: 30 s) and holds up the
            // other sessions on the same queue meanwhile. Still above every deadline inside a request
            // (worker 5 s, gateway 8 s), so no legitimate call reaches it.
            options.ResponseTimeout = TimeSpan.FromSeconds(10);
            configuration.GetSection($"{ClusterSettings.Section}:Messaging").Bind(options);
        });

    /// <summary>How often a gateway (Orleans client) rereads the silo list from the membership store.</summary>
    public static void ApplyToClient(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<GatewayOptions>(options =>
        {
            options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2);
            configuration.GetSection($"{ClusterSettings.Section}:GatewayList").Bind(options);
        });
    }
}
