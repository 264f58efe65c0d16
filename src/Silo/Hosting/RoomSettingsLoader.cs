using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Rooms;
using Coordinator.Protocol;
using Coordinator.Protocol.Ortc;
using Microsoft.Extensions.Configuration;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Reads the room settings (configuration section <c>Rooms</c>). The media codec list is read as
/// JSON text, never through configuration binding: binding turns every value into a string, and
/// docs/protocol.md#ortc compares H264's <c>packetization-mode</c> strictly by type (1 ≠ "1").
/// </summary>
public static class RoomSettingsLoader
{
    public const string Section = "Rooms";

    /// <summary>opus/48000/2 (in-band FEC), VP8/90000, H264/90000 packetization-mode 1 profile 42e01f.</summary>
    public const string DefaultMediaCodecs = """
        [
          { "kind": "audio", "name": "opus", "clockRate": 48000, "channels": 2, "parameters": { "useinbandfec": 1 } },
          { "kind": "video", "name": "VP8", "clockRate": 90000 },
          { "kind": "video", "name": "H264", "clockRate": 90000, "parameters": { "packetization-mode": 1, "profile-level-id": "42e01f" } }
        ]
        """;

    public static RoomSettings Load(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var (codecsJson, origin) = MediaCodecsText(section);

        JsonNode? mediaCodecs;
        try
        {
            mediaCodecs = JsonNode.Parse(codecsJson);
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"{origin} is not valid JSON: {exception.Message}", exception);
        }

        JsonObject capabilities;
        try
        {
            capabilities = RoomCapabilities.Generate(mediaCodecs);
        }
        catch (MediasoupError error)
        {
            throw new InvalidOperationException($"{origin} cannot make a mediasoup Room: {error.Reason}", error);
        }

        var grace = section.GetValue(nameof(RoomSettings.EmptyRoomGracePeriod), TimeSpan.FromSeconds(5));
        var limits = configuration.GetSection(RoomLimits.Section).Get<RoomLimits>() ?? new RoomLimits();
        return new RoomSettings(capabilities, grace, limits);
    }

    private static (string Json, string Origin) MediaCodecsText(IConfigurationSection section)
    {
        if (section["MediaCodecs"] is { Length: > 0 } inline)
        {
            return (inline, $"{Section}:MediaCodecs");
        }

        if (section["MediaCodecsFile"] is { Length: > 0 } path)
        {
            return File.Exists(path)
                ? (File.ReadAllText(path), $"{Section}:MediaCodecsFile ({path})")
                : throw new InvalidOperationException($"{Section}:MediaCodecsFile names a file that does not exist: {path}");
        }

        return (DefaultMediaCodecs, "the default media codecs");
    }
}
