namespace Coordinator.Grains.Interfaces;

/// <summary>
/// References to string-keyed grains for the per-request paths. <c>GetGrain&lt;T&gt;(key)</c> resolves
/// <typeparamref name="T"/>'s grain type anew on every call, reading the interface's attributes by
/// reflection (about 2 % of a node's CPU under sequence load, from four references per peer
/// session); here that resolution happens once per interface and process.
/// </summary>
public static class GrainReferences
{
    public static T Reference<T>(this IGrainFactory grains, string key)
        where T : IGrainWithStringKey
    {
        var kind = Resolved<T>.Kind ??= GrainKind.Of(grains.GetGrain<T>(key));
        return (T)grains.GetGrain(GrainId.Create(kind.GrainType, key), kind.InterfaceType);
    }

    /// <summary>A class, so that a racing first resolution publishes it whole.</summary>
    private sealed record GrainKind(GrainType GrainType, GrainInterfaceType InterfaceType)
    {
        public static GrainKind Of(IAddressable reference)
        {
            var grain = (GrainReference)reference;
            return new GrainKind(grain.GrainId.Type, grain.InterfaceType);
        }
    }

    private static class Resolved<T>
    {
        public static GrainKind? Kind;
    }
}
