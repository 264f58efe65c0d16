using CsCheck;

namespace Coordinator.Protocol.Tests.Differential;

/// <summary>
/// A CsCheck generator written as plain code over a random source. Its size is the length of the
/// case's JSON, so when a case fails CsCheck keeps looking for a failing case with less JSON and
/// reports the smallest it found.
/// </summary>
internal sealed class CaseGen<T>(Func<Rng, T> build, Func<T, int> length) : Gen<T>
{
    public override T Generate(PCG pcg, Size? min, out Size size)
    {
        var value = build(new Rng(pcg));
        size = new Size((ulong)length(value));
        return value;
    }
}

/// <summary>The random choices a case builder makes, drawn from CsCheck's generator.</summary>
internal sealed class Rng(PCG pcg)
{
    /// <summary>0 ≤ result &lt; <paramref name="count"/>.</summary>
    public int Next(int count) => (int)pcg.Next((uint)count);

    /// <summary>lo ≤ result ≤ hi.</summary>
    public int Between(int lo, int hi) => lo + Next(hi - lo + 1);

    public bool Chance(double probability) => pcg.Next(1_000_000) < probability * 1_000_000;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public List<T> Shuffled<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }
}
