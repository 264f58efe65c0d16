namespace Coordinator.Protocol.Ortc;

/// <summary>
/// Last line of defence at each public ORTC entry point: whatever a hostile JSON document does to
/// System.Text.Json (duplicate keys surface as ArgumentException only when an object is first read,
/// for instance) must reach the caller as a protocol TypeError, never as a framework exception.
/// </summary>
internal static class JsGuard
{
    /// <summary>Starts the text of every error this guard produces, so tests can tell them from designed ones.</summary>
    public const string FailurePrefix = "invalid JSON value";

    public static T Run<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is not MediasoupError and not OutOfMemoryException)
        {
            throw MediasoupError.Type($"{FailurePrefix} ({e.Message})");
        }
    }

    public static void Run(Action body) => Run(() =>
    {
        body();
        return true;
    });
}
