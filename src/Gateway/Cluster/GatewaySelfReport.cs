using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Hosting;
using Coordinator.Grains.Interfaces;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Coordinator.Gateway.Cluster;

/// <summary>What this gateway says about itself with each lease renewal, for the admin API's cluster view: a few counters read, nothing computed per session.</summary>
internal sealed class GatewaySelfReport(IServer server, IConfiguration configuration, ConnectionSlots slots, ClusterWatch watch, GatewayNotifications notifications)
{
    private readonly OperationsOptions _operations = OperationsOptions.From(configuration);

    public GatewayLoad Load() => new(
        [.. (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Where(url => !_operations.Serves(url))],
        slots.Taken,
        watch.SeesActiveSilos && notifications.Subscribed);
}
