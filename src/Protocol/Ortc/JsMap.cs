namespace Coordinator.Protocol.Ortc;

/// <summary>One entry of a <see cref="JsMap"/>.</summary>
public readonly record struct JsMapEntry(JsValue Key, JsValue Value);

/// <summary>
/// The subset of a JavaScript <c>Map</c> the reference uses for its PT/id maps: insertion order, keys
/// compared by SameValueZero (which for JSON values is <c>===</c>), and <c>set</c> on an existing key
/// keeps that key's position while replacing its value.
/// </summary>
public sealed class JsMap
{
    private readonly List<JsMapEntry> entries = [];

    public IReadOnlyList<JsMapEntry> Entries => entries;

    internal void Set(JsValue key, JsValue value)
    {
        var index = IndexOf(key);
        if (index >= 0)
        {
            entries[index] = new JsMapEntry(entries[index].Key, value);
        }
        else
        {
            entries.Add(new JsMapEntry(key, value));
        }
    }

    /// <summary><c>map.get(key)</c>: <see cref="JsValue.Undefined"/> when absent.</summary>
    public JsValue Get(JsValue key)
    {
        var index = IndexOf(key);
        return index >= 0 ? entries[index].Value : JsValue.Undefined;
    }

    public bool Has(JsValue key) => IndexOf(key) >= 0;

    private int IndexOf(JsValue key) => entries.FindIndex(entry => entry.Key.StrictEquals(key));
}
