using Coordinator.Grains.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime.Placement;

namespace Coordinator.Grains.Cluster;

/// <summary>
/// Builds the cluster view (see <see cref="IClusterReportGrain"/>): the silos from this silo's
/// membership view (in memory, so a slow membership store does not stall it), each one's report
/// asked in parallel on that silo through the placement hint.
/// </summary>
[StatelessWorker]
public sealed partial class ClusterReportGrain(IClusterMembershipService membership, ILogger<ClusterReportGrain> logger) : Grain, IClusterReportGrain
{
    /// <summary>A silo that cannot answer within this is reported as unreachable, not waited for (a dashboard polls every 2 s).</summary>
    private static readonly TimeSpan SiloTimeout = TimeSpan.FromSeconds(3);

    public async Task<ClusterReport> Report()
    {
        var silos = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status != SiloStatus.Dead)
            .OrderBy(member => member.SiloAddress.ToParsableString(), StringComparer.Ordinal)
            .ToArray();
        var answers = await Task.WhenAll(silos.Select(member => AskAsync(member.SiloAddress, member.Status)));
        return new ClusterReport(
            [.. answers.Select(answer => answer.Silo)],
            [.. answers.SelectMany(answer => answer.Gateways).OrderBy(gateway => gateway.Id, StringComparer.Ordinal)]);
    }

    /// <summary>The hint is set inside this async method, so it travels with this call only.</summary>
    private async Task<(ClusterSilo Silo, IReadOnlyList<GatewayReport> Gateways)> AskAsync(SiloAddress silo, SiloStatus status)
    {
        var key = silo.ToParsableString();
        SiloReport report;
        try
        {
            RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
            report = await GrainFactory.GetGrain<ISiloReportGrain>(key).Report().WaitAsync(SiloTimeout);
        }
        catch (Exception exception)
        {
            LogSiloUnreachable(key, exception.Message);
            var problem = exception is TimeoutException ? $"no answer within {SiloTimeout.TotalSeconds:0} s" : exception.Message;
            return (Unreachable(key, status, problem), []);
        }

        if (report.Misplaced)
        {
            return (Unreachable(key, status, "its report was placed on another silo (it is joining or leaving)"), []);
        }

        var running = report.Media.Workers.Count;
        var (health, workersProblem) = (status, running < report.Media.ConfiguredWorkers) switch
        {
            (_, true) => ("degraded", $"{running} of {report.Media.ConfiguredWorkers} media workers running"),
            (not SiloStatus.Active, _) => ("degraded", $"the silo is {status}"),
            _ => ("ok", (string?)null),
        };
        return (new ClusterSilo(key, status.ToString(), health, workersProblem, report.HostName, report.Rooms, report.ConnectedPeers, report.Media.ConfiguredWorkers, report.Media.Workers), report.Gateways);
    }

    private static ClusterSilo Unreachable(string address, SiloStatus status, string problem) =>
        new(address, status.ToString(), "unreachable", problem, null, [], 0, 0, []);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} did not report: {Reason}")]
    private partial void LogSiloUnreachable(string silo, string reason);
}
