using Coordinator.Gateway.Cluster;
using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Coordinator.Gateway.Frontend;

/// <summary>What every frontend connection of this gateway shares.</summary>
internal sealed class FrontendServices(
    IClusterClient grains,
    GatewayNotifications notifications,
    PathLosses pathLosses,
    ConnectionTracker tracker,
    PeerConnectOrder connectOrder,
    UnfinishedMessageBudget budget,
    IOptions<GatewayOptions> options,
    IOptions<FrontendOptions> frontend)
{
    public IGrainFactory Grains => grains;

    public GatewayNotifications Notifications => notifications;

    public PathLosses PathLosses => pathLosses;

    public ConnectionTracker Tracker => tracker;

    public PeerConnectOrder ConnectOrder => connectOrder;

    public UnfinishedMessageBudget Budget => budget;

    public GatewayOptions Options => options.Value;

    public FrontendOptions Frontend => frontend.Value;
}
