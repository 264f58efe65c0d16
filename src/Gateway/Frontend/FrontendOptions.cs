namespace Coordinator.Gateway.Frontend;

/// <summary>Settings of the frontend endpoint (configuration section <c>Gateway:Frontend</c>; docs/frontend-api.md).</summary>
public sealed class FrontendOptions
{
    public const string Section = "Gateway:Frontend";

    /// <summary>Serves <c>/frontend</c>. On by default: it still needs a token with the <c>frontend</c> grant.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sessions one frontend connection may hold open at once.</summary>
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>Frames waiting to be written to one frontend connection; a frontend this far behind is disconnected (4001).</summary>
    public int MaxPendingFrames { get; set; } = 65_536;

    /// <summary>Bytes waiting to be written to one frontend connection; a frontend this far behind is disconnected (4001).</summary>
    public long MaxPendingBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Messages one session may have waiting for its turn; beyond it requests get 429 (as over the message rate).</summary>
    public int MaxQueuedMessagesPerSession { get; set; } = 256;
}
