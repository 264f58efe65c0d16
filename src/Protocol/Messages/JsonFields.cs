using System.Text.Json;

namespace Coordinator.Protocol.Messages;

/// <summary>Small writing rules shared by every message the server builds.</summary>
public static class JsonFields
{
    /// <summary>Writes <paramref name="name"/> only when there is a value: an absent appData stays absent, never null.</summary>
    public static void WriteOptional(Utf8JsonWriter writer, string name, JsonElement? value)
    {
        if (value is { } element)
        {
            writer.WritePropertyName(name);
            element.WriteTo(writer);
        }
    }

    /// <summary>Copies an object's properties in order, with <paramref name="replace"/> deciding per name whether to write its own value instead.</summary>
    public static void WriteProperties(Utf8JsonWriter writer, JsonElement source, Func<string, Utf8JsonWriter, bool>? replace = null)
    {
        foreach (var property in source.EnumerateObject())
        {
            if (replace is null || !replace(property.Name, writer))
            {
                property.WriteTo(writer);
            }
        }
    }
}
