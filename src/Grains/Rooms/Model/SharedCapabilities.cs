using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Grains.Rooms.Model;

/// <summary>
/// The parsed join capabilities of a room's members, one copy per distinct text: every browser of
/// one version sends the same capabilities, and a parsed copy per member was the largest part of an
/// idle member's memory. The nodes are only read, by one room operation at a time.
/// </summary>
internal sealed class SharedCapabilities
{
    private readonly Dictionary<string, Entry> _byText = new(StringComparer.Ordinal);

    /// <summary>The parsed capabilities for a new member; pair with <see cref="Release"/> when it leaves.</summary>
    public JsonNode? Acquire(JsonElement capabilities)
    {
        var text = capabilities.GetRawText();
        if (!_byText.TryGetValue(text, out var entry))
        {
            entry = new Entry(JsonNode.Parse(text));
            _byText[text] = entry;
        }

        entry.Members++;
        return entry.Node;
    }

    public void Release(JsonNode? capabilities)
    {
        foreach (var (text, entry) in _byText)
        {
            if (ReferenceEquals(entry.Node, capabilities))
            {
                if (--entry.Members == 0)
                {
                    _byText.Remove(text);
                }

                return;
            }
        }
    }

    /// <summary>Distinct capability texts held.</summary>
    public int Count => _byText.Count;

    private sealed class Entry(JsonNode? node)
    {
        public JsonNode? Node { get; } = node;

        public int Members { get; set; }
    }
}
