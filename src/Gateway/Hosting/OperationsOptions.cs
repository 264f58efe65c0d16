using System.Net;

namespace Coordinator.Gateway.Hosting;

/// <summary>
/// The operations listener (configuration section <c>Gateway:Operations</c>): plain HTTP for
/// <c>/metrics</c>, <c>/health/live</c> and <c>/health/ready</c>, kept off the public listener.
/// </summary>
public sealed class OperationsOptions
{
    public const string Section = "Gateway:Operations";

    /// <summary>Address the listener binds: an IP address, <c>localhost</c> or <c>*</c> (every IPv4 interface).</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Its port; 0 turns the listener off. 9466, because a standalone silo serves its own
    /// <c>/metrics</c> on 9464 and the second silo of <c>scripts/local-cluster.sh</c> on 9465.
    /// </summary>
    public int Port { get; set; } = 9466;

    public bool Enabled => Port != 0;

    public static OperationsOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<OperationsOptions>() ?? new OperationsOptions();

    /// <summary>Whether <paramref name="url"/>, one of the server's addresses, is this listener's.</summary>
    public bool Serves(string url) => Enabled && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port == Port;

    /// <summary>The address to bind; a setting out of range or equal to <c>Gateway:Port</c> stops the node at start-up.</summary>
    internal IPAddress Validate(GatewayOptions gateway)
    {
        if (Port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new InvalidOperationException($"{Section}:Port must be a port number, or 0 for no operations listener; got {Port}.");
        }

        // The listener is told apart by its local port, so it cannot share the public one.
        if (Port == gateway.Port)
        {
            throw new InvalidOperationException(
                $"{Section}:Port must differ from Gateway:Port ({gateway.Port}): /metrics would be served on the public listener. Use 0 for no operations listener.");
        }

        return CoordinatorNode.ParseAddress(ListenAddress, $"{Section}:ListenAddress");
    }
}
