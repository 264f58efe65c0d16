namespace Coordinator.Protocol;

/// <summary>
/// The reference's texts for the checks its router makes before a request reaches the worker
/// (docs/protocol.md#errors). The media plane makes the same checks and must fail with these words.
/// </summary>
public static class MediaObjectTexts
{
    public const string TransportNotFound = "Transport not found";
    public const string ProducerNotFound = "Producer not found";
    public const string ConsumerNotFound = "Consumer not found";

    /// <summary>A plain RTP transport created with a remote IP but no port.</summary>
    public const string MissingRemotePort = "missing remotePort";

    public static string DuplicateTransport { get; } = Duplicate("Transport", "transportId");

    public static string DuplicateProducer { get; } = Duplicate("Producer", "producerId");

    public static string DuplicateConsumer { get; } = Duplicate("Consumer", "consumerId");

    /// <summary>A method of one transport kind asked of the other kind (the worker itself would crash).</summary>
    public static string NotSupportedBy(string method, string transportDescription) => $"{method} is not supported by {transportDescription}";

    private static string Duplicate(string objectName, string idName) => $"a {objectName} with same {idName} already exists";
}
