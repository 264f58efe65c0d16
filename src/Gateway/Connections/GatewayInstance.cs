namespace Coordinator.Gateway.Connections;

/// <summary>
/// This gateway process in the cluster: its session lease and its notification streams carry this
/// id. Unique per process start, so a restarted gateway never inherits a dead one's lease or streams.
/// </summary>
internal sealed class GatewayInstance
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
}
