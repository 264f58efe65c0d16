using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Interfaces.Hosting;
using Coordinator.Silo.Hosting;
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

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rooms:EmptyRoomGracePeriod"] = GracePeriod.ToString(),
            ["Orleans:GrainCollection:CollectionQuantum"] = "00:00:01",
            ["Orleans:GrainCollection:CollectionAge"] = "00:00:02",
            ["Streams:PullingPeriod"] = "00:00:00.005",
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
        public void Configure(ISiloBuilder silo) => silo.AddCoordinatorGrains(silo.Configuration);
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client)
        {
            client.AddMemoryStreams(GrainKeys.NotificationStreamProvider, provider => provider.ConfigurePartitioning(new NotificationStreamSettings().Partitions));
            client.Services.AddSerializer(serializer => serializer.AddCoordinatorJson());
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
