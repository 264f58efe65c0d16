using System.Text.Json;

namespace Coordinator.Protocol.Messages;

/// <summary>
/// What the protocol says about one consumer: the values its JSON object and its
/// <c>enableConsumer</c> response are written from (docs/protocol.md#the-consumer-object).
/// </summary>
/// <param name="Id">The consumer id, chosen by the Room.</param>
/// <param name="Kind"><c>audio</c>, <c>video</c> or <c>depth</c>: the producer's kind.</param>
/// <param name="RtpParameters">The consumer's RTP parameters, computed for its owner's capabilities.</param>
/// <param name="LocallyPaused">Paused by the server side.</param>
/// <param name="RemotelyPaused">Paused by its own client.</param>
/// <param name="SourcePaused">Its producer is paused.</param>
/// <param name="PreferredProfile">The simulcast profile its client asked for (<c>default</c> until then).</param>
/// <param name="EffectiveProfile">The profile the media plane forwards, or null before it says.</param>
/// <param name="AppData">The producer's appData, absent when the producer had none.</param>
/// <param name="PeerName">The name of the producer's owner.</param>
public readonly record struct ConsumerDescription(
    uint Id,
    string Kind,
    JsonElement RtpParameters,
    bool LocallyPaused,
    bool RemotelyPaused,
    bool SourcePaused,
    string PreferredProfile,
    string? EffectiveProfile,
    JsonElement? AppData,
    string PeerName)
{
    /// <summary>
    /// <c>paused</c> in the consumer object leaves out the source's state on purpose: the reference
    /// learns it only later from the worker, and a client told "paused" here could stay paused
    /// forever (docs/protocol.md#pausing).
    /// </summary>
    public bool PausedInObject => LocallyPaused || RemotelyPaused;

    /// <summary><c>paused</c> in the <c>enableConsumer</c> response leaves out the client's own pause: it knows it.</summary>
    public bool PausedWhenEnabled => SourcePaused || LocallyPaused;

    /// <summary>The consumer object of <c>newConsumer</c> and of the join response, in the reference's key order.</summary>
    public void WriteObject(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteFields(writer);
        writer.WriteEndObject();
    }

    internal void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteNumber("id", Id);
        writer.WriteString("kind", Kind);
        writer.WritePropertyName("rtpParameters");
        RtpParameters.WriteTo(writer);
        writer.WriteBoolean("paused", PausedInObject);
        WriteProfiles(writer);
        JsonFields.WriteOptional(writer, "appData", AppData);
        writer.WriteString("peerName", PeerName);
    }

    /// <summary><c>preferredProfile</c>, then <c>effectiveProfile</c> (null until the media plane reports one).</summary>
    internal void WriteProfiles(Utf8JsonWriter writer)
    {
        writer.WriteString("preferredProfile", PreferredProfile);
        if (EffectiveProfile is { } effective)
        {
            writer.WriteString("effectiveProfile", effective);
        }
        else
        {
            writer.WriteNull("effectiveProfile");
        }
    }
}
