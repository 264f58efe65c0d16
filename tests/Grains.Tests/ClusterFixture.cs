using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Interfaces.Hosting;
using Coordinator.Grains.Media;
using Coordinator.Silo.Hosting;
using Coordinator.Silo.Streams;
using Coordinator.TestSupport.Media;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Two silos, so Room and Peer grains land on different silos and every hand-over and stream
/// crosses a silo boundary. Short grace period and collection age keep lifetime tests quick.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromMilliseconds(600);

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>The in-memory media plane of every silo.</summary>
    public IEnumerable<InMemoryMediaPlane> MediaPlanes => Cluster.Silos
        .OfType<InProcessSiloHandle>()
        .Select(silo => (InMemoryMediaPlane)silo.SiloHost.Services.GetRequiredService<IMediaPlane>());

    /// <summary>The in-memory router that holds a transport, wherever its room lives.</summary>
    public InMemoryMediaRouter RouterWithTransport(uint transportId) =>
        MediaPlanes.SelectMany(plane => plane.Routers).Single(router => !router.IsClosed && router.Transports.Contains(transportId));

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rooms:EmptyRoomGracePeriod"] = GracePeriod.ToString(),
            ["Orleans:GrainCollection:CollectionQuantum"] = "00:00:01",
            ["Orleans:GrainCollection:CollectionAge"] = "00:00:02",
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddCoordinatorGrains(silo.Configuration);

            // The real worker is not the point of these tests: each silo gets its own in-memory media plane.
            silo.Services.AddSingleton<IMediaPlane>(_ => new InMemoryMediaPlane());
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client)
        {
            client.Services.AddSingleton(new NotificationStreamSettings());
            client.AddPersistentStreams(GrainKeys.NotificationStreamProvider, NotificationQueueAdapterFactory.Create, _ => { });
            client.Services.AddSerializer(serializer => serializer.AddCoordinatorJson());
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
