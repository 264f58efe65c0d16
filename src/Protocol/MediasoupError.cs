namespace Coordinator.Protocol;

/// <summary>The JavaScript error class the reference server would have thrown.</summary>
public enum ErrorClass
{
    Error,
    TypeError,
    InvalidStateError,
}

/// <summary>
/// A protocol rejection with the reference server's text. The client sees <see cref="Reason"/>,
/// which is what the reference app sends: <c>error.toString()</c>, e.g. <c>TypeError: Transport not found</c>.
/// </summary>
public sealed class MediasoupError(ErrorClass errorClass, string message, int code = MediasoupError.RejectedCode) : Exception(message)
{
    /// <summary>The protoo error code of a rejected mediasoup request (the demo server's).</summary>
    public const int RejectedCode = 500;

    /// <summary>The protoo error code of a request the peer's grants do not allow.</summary>
    public const int ForbiddenCode = 403;

    public ErrorClass Class { get; } = errorClass;

    /// <summary>The protoo <c>errorCode</c> the client gets.</summary>
    public int Code { get; } = code;

    public string Reason => $"{Class}: {Message}";

    public static MediasoupError Error(string message) => new(ErrorClass.Error, message);

    public static MediasoupError Type(string message) => new(ErrorClass.TypeError, message);

    public static MediasoupError InvalidState(string message) => new(ErrorClass.InvalidStateError, message);

    /// <summary>The peer's join token does not grant this (not a reference error: Coordinator's own).</summary>
    public static MediasoupError Forbidden(string message) => new(ErrorClass.Error, message, ForbiddenCode);

    /// <summary>The text V8 uses when code reads a property of <c>undefined</c>.</summary>
    public static MediasoupError ReadOfUndefined(string property) =>
        Type($"Cannot read properties of undefined (reading '{property}')");

    public override string ToString() => Reason;
}
