namespace Coordinator.Grains.Interfaces;

/// <summary>
/// The sessions one gateway process holds, keyed by the gateway's instance id. The gateway renews
/// the lease every second or so, carrying the sessions opened and closed since the last renewal.
/// If renewals stop (the gateway died), every session it held is disconnected, so its peers leave
/// their rooms and the others get <c>peerClosed</c>.
/// <para>Call graph: gateway → lease; lease → Peer (<see cref="IPeerGrain.Disconnect"/>). Nothing calls the lease back.</para>
/// </summary>
[Alias("Coordinator.IGatewayLeaseGrain")]
public interface IGatewayLeaseGrain : IGrainWithStringKey
{
    [Alias("Renew")]
    Task<LeaseStatus> Renew(LeaseRenewal renewal);
}

/// <summary>One renewal: the lease's length and the session changes since the previous renewal.</summary>
/// <param name="Sequence">Increases with every attempt: a late attempt (one the gateway gave up on) is ignored.</param>
/// <param name="Duration">How long the lease lasts without another renewal.</param>
/// <param name="Complete">True when <paramref name="Opened"/> is the gateway's whole session list.</param>
/// <param name="Load">What the gateway says about itself, for the admin API's cluster view.</param>
[GenerateSerializer, Immutable, Alias("Coordinator.LeaseRenewal")]
public sealed record LeaseRenewal(
    [property: Id(4)] long Sequence,
    [property: Id(0)] TimeSpan Duration,
    [property: Id(1)] bool Complete,
    [property: Id(2)] PeerSession[] Opened,
    [property: Id(3)] PeerSession[] Closed,
    [property: Id(5)] GatewayLoad? Load = null);

[GenerateSerializer, Alias("Coordinator.LeaseStatus")]
public enum LeaseStatus
{
    /// <summary>Renewed; the lease holds every session the gateway reported.</summary>
    Renewed,

    /// <summary>This lease does not know the gateway's earlier sessions (its silo died): send the complete list.</summary>
    NeedsCompleteList,

    /// <summary>The lease had expired and its sessions were disconnected: the gateway must close those sockets.</summary>
    Expired,
}
