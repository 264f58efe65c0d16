using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Coordinator.Gateway.Hosting;

/// <summary>Kestrel's bounds on connections that have not become WebSockets yet.</summary>
public static class KestrelLimits
{
    /// <summary>
    /// A connection that sends nothing, or an incomplete request, is closed after
    /// <see cref="GatewayOptions.HandshakeTimeout"/> instead of Kestrel's defaults (130 s idle, 30 s
    /// for the headers), and at most <see cref="GatewayOptions.MaxConnections"/> such connections are
    /// open at once. Once upgraded, a socket is bounded by the gateway's own limits instead.
    /// </summary>
    public static void Apply(KestrelServerOptions kestrel, GatewayOptions gateway)
    {
        kestrel.Limits.KeepAliveTimeout = gateway.HandshakeTimeout;
        kestrel.Limits.RequestHeadersTimeout = gateway.HandshakeTimeout;
        kestrel.Limits.MaxConcurrentConnections = gateway.MaxConnections;
    }
}
