namespace Coordinator.Gateway.Hosting;

/// <summary>How the gateway process reaches the grains (configuration key <c>Node:Mode</c>).</summary>
public enum NodeMode
{
    /// <summary>A silo runs inside this process: the single-process coordinator.</summary>
    Embedded,

    /// <summary>An Orleans client of separately running silos.</summary>
    Gateway,
}
