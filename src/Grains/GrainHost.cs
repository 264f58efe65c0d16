namespace Coordinator.Grains;

internal static class GrainHost
{
    /// <summary>The silo this activation runs on (always set for a running activation).</summary>
    public static SiloAddress Silo(this Grain grain) =>
        grain.GrainContext.Address.SiloAddress ?? throw new InvalidOperationException("The activation has no silo address.");
}
