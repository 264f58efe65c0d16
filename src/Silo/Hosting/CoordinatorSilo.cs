using System.Net;
using Coordinator.Grains.Gateways;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Interfaces.Hosting;
using Coordinator.Grains.Peers;
using Coordinator.Grains.Placement;
using Coordinator.Grains.Rooms;
using Coordinator.Grains.Streams;
using Coordinator.Silo.Media;
using Coordinator.Silo.Streams;
using Coordinator.Silo.Telemetry;
using Coordinator.Silo.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace Coordinator.Silo.Hosting;

/// <summary>Silo wiring shared by the standalone silo, the embedded node and the grain tests.</summary>
public static class CoordinatorSilo
{
    /// <summary>Grains, notification streams, JSON serialization and room settings; no clustering.</summary>
    public static ISiloBuilder AddCoordinatorGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var streams = NotificationStreamConfiguration.Read(configuration);

        // Who subscribes to which stream: in a cluster it must outlive any one silo. Orleans' binary
        // serializer rather than the default JSON one.
        var cluster = ClusterSettings.From(configuration);
        if (cluster.UsesRedis)
        {
            silo.AddRedisGrainStorage(PubSubBackingStore, options => options.Configure<Serializer>((redis, serializer) =>
            {
                redis.ConfigurationOptions = RedisConfiguration(cluster);
                redis.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                redis.DeleteStateOnClear = true;
            }));
        }
        else if (cluster.UsesPostgreSql)
        {
            var connectionString = PostgreSqlClusterStore.ConnectionString(cluster);
            silo.AddAdoNetGrainStorage(PubSubBackingStore, options => options.Configure<Serializer>((store, serializer) =>
            {
                store.Invariant = PostgreSqlClusterStore.Invariant;
                store.ConnectionString = connectionString;
                store.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                store.DeleteStateOnClear = true;
            }));
        }

        if (cluster.UsesExternalStore)
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(PubSubStore, (services, _) => new WriteBehindGrainStorage(
                services.GetRequiredKeyedService<IGrainStorage>(PubSubBackingStore),
                services.GetRequiredService<ILogger<WriteBehindGrainStorage>>()));
        }
        else
        {
            silo.AddMemoryGrainStorage(PubSubStore, options => options.Configure<Serializer>((memory, serializer) =>
                memory.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
        }

        silo.Services.TryAddSingleton(streams);
        silo.Services.AddSingleton(new NotificationQueueLimits(streams.MaxBatchesPerQueue));
        silo.AddPersistentStreams(GrainKeys.NotificationStreamProvider, NotificationQueueAdapterFactory.Create, provider =>
        {
            provider.ConfigurePullingAgent(agent => agent.Configure(options =>
            {
                // A reader waits in its queue for data; the timer only restarts one that stopped
                // (a full cache, a stream being registered), so it can tick often at no idle cost.
                options.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(20);
                options.StreamInactivityPeriod = streams.StreamInactivityPeriod;
            }));
            provider.ConfigurePartitionBalancing(QueueHostBalancer.Create);
        });

        silo.Services.AddSerializer(serializer => serializer.AddCoordinatorJson());
        silo.Services.Configure<GrainCollectionOptions>(configuration.GetSection($"{ClusterSettings.Section}:GrainCollection"));
        // Loaded now, so that invalid media codecs stop the silo at start with the reason, not the first room.
        silo.Services.AddSingleton(RoomSettingsLoader.Load(configuration));
        silo.Services.AddSingleton<OpenRooms>();
        silo.Services.AddSingleton<SharedCapabilities>();
        silo.Services.AddSingleton<ConnectedPeers>();
        silo.Services.AddSingleton<GatewayLeases>();
        silo.Services.AddPeerPlacement();
        return silo;
    }

    /// <summary>The media plane on this host's mediasoup workers (section <c>MediaWorkers</c>); start-up fails without a worker.</summary>
    public static ISiloBuilder AddCoordinatorMedia(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddWorkerMediaPlane(configuration.GetSection(WorkerOptions.SectionName));
        silo.Services.AddHostedService<SiloMetrics>();
        return silo;
    }

    /// <summary>
    /// Localhost clustering (one machine, silos found through the primary silo's port), or Redis or
    /// PostgreSQL membership with quick failure detection (<see cref="MembershipTuning"/>); mutual TLS on the
    /// silo and gateway ports when <c>Orleans:Tls:Enabled</c> (<see cref="ClusterTls"/>).
    /// </summary>
    public static ISiloBuilder UseCoordinatorClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var cluster = ClusterSettings.From(configuration);
        silo.UseClusterTls(configuration);
        silo.Services.Configure<GrainDirectoryOptions>(options => ConfigureDirectory(options, configuration));
        if (!cluster.UsesExternalStore)
        {
            return silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        }

        silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        if (cluster.UsesRedis)
        {
            silo.UseRedisClustering(options => options.ConfigurationOptions = RedisConfiguration(cluster));
            silo.Services.AddHostedService<MembershipTableGuard>();
        }
        else
        {
            var connectionString = PostgreSqlClusterStore.ConnectionString(cluster);
            if (cluster.PostgreSqlCreateSchema)
            {
                PostgreSqlClusterStore.EnsureSchema(connectionString);
            }

            silo.UseAdoNetClustering(options => (options.Invariant, options.ConnectionString) = (PostgreSqlClusterStore.Invariant, connectionString));
        }

        silo.ConfigureEndpoints(
            cluster.AdvertisedIPAddress is { Length: > 0 } address ? IPAddress.Parse(address) : null!,
            cluster.SiloPort,
            cluster.GatewayPort);

        // Without a listen address Orleans listens on the advertised address alone, not on every interface.
        if (ListenAddress(cluster) is { } listen)
        {
            silo.Configure<EndpointOptions>(options =>
            {
                options.SiloListeningEndpoint = new IPEndPoint(listen, cluster.SiloPort);
                options.GatewayListeningEndpoint = new IPEndPoint(listen, cluster.GatewayPort);
            });
        }

        MembershipTuning.Apply(silo.Services, configuration);
        MembershipTuning.ApplyClientDrop(silo.Services, configuration);
        silo.Services.AddSingleton(cluster);

        // The default directory deactivates every grain whose registration lived on a silo that
        // died, which would end healthy rooms on the surviving silos. The distributed directory
        // recovers those registrations from the silos that host them instead.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10, and the behaviour this product needs
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003

        return silo;
    }

    /// <summary>
    /// Orleans' <see cref="GrainDirectoryOptions"/> with Coordinator's defaults, overridden in
    /// <c>Orleans:Directory</c> (not <c>Orleans:GrainDirectory</c>, where Orleans itself looks for
    /// named directory providers).
    /// </summary>
    private static void ConfigureDirectory(GrainDirectoryOptions options, IConfiguration configuration)
    {
        // After a crash the directory holds the dead silo's ranges for this long before new
        // registrations there, guarding against a silo wrongly declared dead (which stops itself
        // as soon as it reads the membership table). Orleans' default keeps rejoins to rooms of the
        // dead silo waiting far longer than a client does.
        options.RangeLeaseDuration = TimeSpan.FromSeconds(2);

        // Orleans sizes its two directory caches' tables for its default of a million entries up
        // front: 9 MB of arrays, 15 MiB of a fresh node's resident memory, for entries it may never hold.
        options.CacheSize = DirectoryCacheSize;
        configuration.GetSection($"{ClusterSettings.Section}:Directory").Bind(options);
    }

    /// <summary>Grains on other silos whose addresses a silo remembers; beyond it, a lookup in the directory.</summary>
    private const int DirectoryCacheSize = 100_000;

    /// <summary>
    /// The Redis connection, retrying in the background: a silo must survive the store restarting
    /// (<c>AbortOnConnectFail</c> off) rather than fail for good on the first refused connection.
    /// </summary>
    public static ConfigurationOptions RedisConfiguration(ClusterSettings cluster)
    {
        var options = ConfigurationOptions.Parse(cluster.RedisConnectionString);
        options.AbortOnConnectFail = false;
        return options;
    }

    /// <summary><c>Orleans:ListenAddress</c>, or null when unset; anything but an IP address stops the silo at start-up.</summary>
    public static IPAddress? ListenAddress(ClusterSettings cluster) => cluster.ListenAddress switch
    {
        null or "" => null,
        var text when IPAddress.TryParse(text, out var address) => address,
        var text => throw new InvalidOperationException(
            $"Orleans:ListenAddress must be an IP address (such as 10.0.0.5, or 0.0.0.0 for every interface); got \"{text}\"."),
    };

    private const string PubSubStore = "PubSubStore";
    private const string PubSubBackingStore = "PubSubStore.Backing";

}
