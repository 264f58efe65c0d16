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
public sealed class MediasoupError(ErrorClass errorClass, string message) : Exception(message)
{
    public ErrorClass Class { get; } = errorClass;

    public string Reason => $"{Class}: {Message}";

    public static MediasoupError Error(string message) => new(ErrorClass.Error, message);

    public static MediasoupError Type(string message) => new(ErrorClass.TypeError, message);

    public static MediasoupError InvalidState(string message) => new(ErrorClass.InvalidStateError, message);

    /// <summary>The text V8 uses when code reads a property of <c>undefined</c>.</summary>
    public static MediasoupError ReadOfUndefined(string property) =>
        Type($"Cannot read properties of undefined (reading '{property}')");

    public override string ToString() => Reason;
}
