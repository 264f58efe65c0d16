using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Protocol.Messages;

namespace Coordinator.Grains.Rooms;

/// <summary>
/// The parsed join capabilities of the silo's room members, one copy per distinct text: every
/// browser of one version sends the same capabilities, and a parsed copy per member (then per
/// room) was the largest part of an idle member's memory (about 10 KB per room).
/// <list type="bullet">
/// <item>A copy is held weakly: it lives as long as a member refers to it, so no path that drops
/// a member (leave, kick, room close, lost silo) has to give it back, and nothing leaks.</item>
/// <item>Rooms run on many threads at once, and a parsed node builds its children on first read;
/// each copy is built whole (<see cref="JsJson.Materialize"/>) before it is shared, so that
/// readers never write. Nobody writes to a shared copy.</item>
/// </list>
/// </summary>
public sealed class SharedCapabilities
{
    private const int FirstPruneAt = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<byte[], WeakReference<JsonNode>> _byText = new(Utf8TextComparer.Instance);
    private int _pruneAt = FirstPruneAt;

    /// <summary>The shared parsed copy of <paramref name="capabilities"/> (null for JSON <c>null</c>).</summary>
    public JsonNode? Acquire(JsonElement capabilities)
    {
        // Looked up by the request's own UTF-8 bytes: a hit, nearly every join, copies nothing.
        var text = JsonMarshal.GetRawUtf8Value(capabilities);
        lock (_gate)
        {
            if (_byText.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(text, out var held) && held.TryGetTarget(out var node))
            {
                return node;
            }
        }

        // Parsed outside the lock; if two rooms race, the first copy stored wins and the other is dropped.
        var parsed = JsJson.Materialize(JsonNode.Parse(text));
        if (parsed is null)
        {
            return null;
        }

        lock (_gate)
        {
            var lookup = _byText.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (lookup.TryGetValue(text, out var held) && held.TryGetTarget(out var node))
            {
                return node;
            }

            lookup[text] = new WeakReference<JsonNode>(parsed);
            if (_byText.Count >= _pruneAt)
            {
                PruneDead();
            }

            return parsed;
        }
    }

    /// <summary>Distinct texts whose copy is still in use (dead ones are removed first).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                PruneDead();
                return _byText.Count;
            }
        }
    }

    /// <summary>Drops the texts no member uses any more; the next prune waits until the table has doubled.</summary>
    private void PruneDead()
    {
        foreach (var (text, held) in _byText)
        {
            if (!held.TryGetTarget(out _))
            {
                _byText.Remove(text);
            }
        }

        _pruneAt = Math.Max(FirstPruneAt, 2 * _byText.Count);
    }

    /// <summary>Compares texts by their UTF-8 bytes; a span finds an array without being copied.</summary>
    private sealed class Utf8TextComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Utf8TextComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] text) => GetHashCode((ReadOnlySpan<byte>)text);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
