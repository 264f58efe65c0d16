namespace Coordinator.Grains.Interfaces;

/// <summary>
/// The cluster view for operators: every silo that is not dead, from the answering silo's
/// membership view, with each one's <see cref="ISiloReportGrain"/> report asked in parallel; a
/// silo that does not answer is listed as unreachable. A stateless worker. Call graph: gateway →
/// cluster report → per-silo reports, which call nothing.
/// </summary>
[Alias("Coordinator.IClusterReportGrain")]
public interface IClusterReportGrain : IGrainWithIntegerKey
{
    [Alias("Report")]
    Task<ClusterReport> Report();
}
