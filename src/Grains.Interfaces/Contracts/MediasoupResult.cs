using System.Text.Json;

namespace Coordinator.Grains.Interfaces;

/// <summary>
/// The outcome of a mediasoup request, as the gateway turns it into a protoo response.
/// Errors travel as values (not exceptions) so that the reference's texts reach the client intact.
/// </summary>
[GenerateSerializer, Immutable, Alias("Coordinator.MediasoupResult")]
public sealed record MediasoupResult
{
    /// <summary>protoo error code the demo server uses for a rejected mediasoup request.</summary>
    public const int RejectedCode = 500;

    /// <summary>Success payload; <c>null</c> is an empty response, which protoo sends as <c>{}</c>.</summary>
    [Id(0)]
    public JsonElement? Data { get; init; }

    [Id(1)]
    public int ErrorCode { get; init; }

    /// <summary>The rejection text, e.g. <c>TypeError: peerName must be a string</c>; null on success.</summary>
    [Id(2)]
    public string? ErrorReason { get; init; }

    public bool Ok => ErrorReason is null;

    public static MediasoupResult Success(JsonElement? data = null) => new() { Data = data };

    public static MediasoupResult Rejected(string reason, int code = RejectedCode) =>
        new() { ErrorCode = code, ErrorReason = reason };

    /// <summary>A protocol rejection: its reference text and its protoo code.</summary>
    public static MediasoupResult Rejected(Coordinator.Protocol.MediasoupError error) => Rejected(error.Reason, error.Code);
}
