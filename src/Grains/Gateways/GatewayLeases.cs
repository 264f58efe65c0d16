using System.Collections.Concurrent;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Gateways;

/// <summary>
/// The gateway leases active on this silo, for the admin API's cluster view
/// (<see cref="Cluster.SiloReportGrain"/>) to read without calling any lease grain. Each lease
/// replaces its immutable state after every renewal, so a reader on another thread sees one
/// renewal's state whole.
/// </summary>
public sealed class GatewayLeases
{
    private readonly ConcurrentDictionary<string, LeaseState> _leases = new();

    internal void Update(LeaseState state) => _leases[state.GatewayId] = state;

    internal void Remove(string gatewayId) => _leases.TryRemove(gatewayId, out _);

    public IReadOnlyList<GatewayReport> Reports(string silo, DateTimeOffset now) =>
        [.. _leases.Values.Select(lease => lease.Report(silo, now)).OrderBy(report => report.Id, StringComparer.Ordinal)];
}

/// <summary>One lease after a renewal (or after it expired).</summary>
internal sealed record LeaseState(string GatewayId, int Sessions, GatewayLoad? Load, DateTimeOffset LastRenewal, TimeSpan Duration, bool Expired)
{
    public GatewayReport Report(string silo, DateTimeOffset now) => new(
        GatewayId,
        Load?.Urls ?? [],
        Sessions,
        Load?.Connections,
        Health(now),
        LastRenewal,
        silo);

    private string Health(DateTimeOffset now) => this switch
    {
        { Expired: true } => "expired",
        _ when now - LastRenewal > Duration => "expired",
        _ when now - LastRenewal > Duration / 2 => "late",
        { Load.Ready: false } => "unready",
        _ => "ok",
    };
}
