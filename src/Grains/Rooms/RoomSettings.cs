using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Protocol.Messages;

namespace Coordinator.Grains.Rooms;

/// <summary>
/// Per-silo room settings, computed once at start-up from configuration. Every silo of a
/// deployment must be given the same media codecs, or rooms would differ by placement.
/// </summary>
public sealed class RoomSettings
{
    /// <param name="rtpCapabilities">The Room RTP capabilities, as ORTC generated them from the media codecs.</param>
    public RoomSettings(JsonObject rtpCapabilities, TimeSpan emptyRoomGracePeriod, RoomLimits? limits = null)
    {
        Limits = limits ?? new RoomLimits();
        if (emptyRoomGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(emptyRoomGracePeriod), "The empty-room grace period cannot be negative.");
        }

        RtpCapabilitiesNode = JsJson.Materialize(rtpCapabilities);
        RtpCapabilities = JsJson.Freeze(rtpCapabilities);
        EmptyRoomGracePeriod = emptyRoomGracePeriod;
        QueryRoomResponse = Responses.QueryRoom(RtpCapabilities);
    }

    /// <summary>The Room RTP capabilities generated from the configured media codecs (docs/protocol.md#ortc).</summary>
    public JsonElement RtpCapabilities { get; }

    /// <summary>The same as a node for the ORTC code, shared by every room of the silo: built whole, never written.</summary>
    internal JsonObject RtpCapabilitiesNode { get; }

    public RoomLimits Limits { get; }

    /// <summary>How long an empty room lingers before it closes; zero closes it at once.</summary>
    public TimeSpan EmptyRoomGracePeriod { get; }

    /// <summary><c>{rtpCapabilities, mandatoryCodecPayloadTypes: []}</c>, built once.</summary>
    public JsonElement QueryRoomResponse { get; }
}
