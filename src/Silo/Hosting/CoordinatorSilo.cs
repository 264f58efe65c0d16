using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Interfaces.Hosting;
using Coordinator.Grains.Rooms;
using Coordinator.Silo.Media;
using Coordinator.Silo.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;

namespace Coordinator.Silo.Hosting;

/// <summary>Silo wiring shared by the standalone silo, the embedded node and the grain tests.</summary>
public static class CoordinatorSilo
{
    /// <summary>Grains, notification streams, JSON serialization and room settings; no clustering.</summary>
    public static ISiloBuilder AddCoordinatorGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var streams = configuration.GetSection(NotificationStreamSettings.Section).Get<NotificationStreamSettings>()
            ?? new NotificationStreamSettings();

        silo.AddMemoryGrainStorage("PubSubStore");
        silo.AddMemoryStreams(GrainKeys.NotificationStreamProvider, provider =>
        {
            provider.ConfigurePartitioning(streams.Partitions);
            provider.ConfigurePullingAgent(agent => agent.Configure(options => options.GetQueueMsgsTimerPeriod = streams.PullingPeriod));
        });

        silo.Services.AddSerializer(serializer => serializer.AddCoordinatorJson());
        silo.Services.Configure<GrainCollectionOptions>(configuration.GetSection($"{ClusterSettings.Section}:GrainCollection"));
        silo.Services.AddSingleton(_ => RoomSettingsLoader.Load(configuration));
        silo.Services.AddSingleton<OpenRooms>();
        return silo;
    }

    /// <summary>The media plane on this host's mediasoup workers (section <c>MediaWorkers</c>); start-up fails without a worker.</summary>
    public static ISiloBuilder AddCoordinatorMedia(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddWorkerMediaPlane(configuration.GetSection(WorkerOptions.SectionName));
        return silo;
    }

    /// <summary>Localhost clustering: one machine, silos found through the primary silo's port.</summary>
    public static ISiloBuilder UseCoordinatorClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var cluster = ClusterSettings.From(configuration);
        return silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
    }
}
