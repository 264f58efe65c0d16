namespace Coordinator.Gateway.Connections;

/// <summary>Something to write to a socket, in order: a text frame, or the close that ends it.</summary>
internal abstract record Outbound
{
    /// <param name="PublishedAtTicks">For a notification, when its Peer grain published it (0 otherwise).</param>
    public sealed record Frame(byte[] Utf8, long PublishedAtTicks = 0) : Outbound;

    public sealed record Close(int Code, string Reason) : Outbound;
}
