namespace Coordinator.Gateway.Connections;

/// <summary>Something to write to a socket, in order: a text frame, or the close that ends it.</summary>
internal abstract record Outbound
{
    public sealed record Frame(byte[] Utf8) : Outbound;

    public sealed record Close(int Code, string Reason) : Outbound;
}
