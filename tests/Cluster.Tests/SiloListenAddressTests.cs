using System.Net;
using Coordinator.TestSupport;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// Where a standalone silo listens: its silo, gateway and HTTP (/metrics) ports stay on loopback
/// unless configured otherwise, in Localhost mode and in Redis mode (which used to listen on every
/// interface). The sockets are read from /proc, so an address that is never connected to still counts.
/// </summary>
public sealed class SiloListenAddressTests : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<NodeProcess> _processes = [];
    private readonly int _siloPort = FreePort.Next();
    private readonly int _gatewayPort = FreePort.Next();
    private readonly int _httpPort = FreePort.Next();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_silo_with_default_settings_listens_on_loopback_only()
    {
        var silo = StartSilo(new Dictionary<string, string>());
        await AssertOnLoopbackAsync(silo);
    }

    [Fact]
    public async Task A_redis_mode_silo_listens_on_its_advertised_address_only()
    {
        var environment = await RedisModeAsync();

        var silo = StartSilo(environment);
        await AssertOnLoopbackAsync(silo);
    }

    /// <summary>The silo port, the Orleans gateway port and /metrics listen on 127.0.0.1 and nowhere else.</summary>
    private async Task AssertOnLoopbackAsync(NodeProcess silo)
    {
        var sockets = await ListeningOnAsync(silo, _gatewayPort);
        AssertOnlyLoopback(silo, sockets);
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, _siloPort), sockets);
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, _gatewayPort), sockets);
        await AssertMetricsOnLoopbackOnlyAsync(sockets);
    }

    [Fact]
    public async Task Orleans_ListenAddress_moves_the_silo_and_gateway_ports_to_that_address()
    {
        // Another loopback address than the advertised one: the listeners follow the option, not the advertised address.
        var other = IPAddress.Parse("127.0.0.2");
        var environment = await RedisModeAsync();
        environment["Orleans__ListenAddress"] = other.ToString();

        var silo = StartSilo(environment);
        var sockets = await ListeningOnAsync(silo, _gatewayPort);

        Assert.Contains(new IPEndPoint(other, _siloPort), sockets);
        Assert.Contains(new IPEndPoint(other, _gatewayPort), sockets);
        Assert.DoesNotContain(sockets, s => (s.Port == _siloPort || s.Port == _gatewayPort) && !s.Address.Equals(other));
    }

    /// <summary>Redis mode against a private redis-server, advertising 127.0.0.1 (one machine).</summary>
    private async Task<Dictionary<string, string>> RedisModeAsync()
    {
        var redisPort = FreePort.Next();
        var redis = NodeProcess.Start("redis", "redis-server", ["--port", $"{redisPort}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], new Dictionary<string, string>());
        _processes.Add(redis);
        await redis.WaitForPortAsync(redisPort, StartTimeout);
        return new Dictionary<string, string>
        {
            ["Orleans__MembershipStore"] = "Redis",
            ["Orleans__RedisConnectionString"] = $"127.0.0.1:{redisPort}",
            ["Orleans__ClusterId"] = $"listen-{Guid.NewGuid():N}",
            ["Orleans__AdvertisedIPAddress"] = "127.0.0.1",
        };
    }

    /// <summary>A standalone silo with <paramref name="settings"/>, its own free ports and one worker; nothing else set.</summary>
    private NodeProcess StartSilo(Dictionary<string, string> settings)
    {
        settings["Orleans__SiloPort"] = $"{_siloPort}";
        settings["Orleans__GatewayPort"] = $"{_gatewayPort}";
        settings["Telemetry__SiloHttpPort"] = $"{_httpPort}";
        settings["MediaWorkers__Count"] = "1";
        var silo = NodeProcess.Start("silo", LocalCluster.Executable("Coordinator.Silo"), [], settings);
        _processes.Add(silo);
        return silo;
    }

    /// <summary>The silo's listening sockets once its gateway port (opened last, when it joined) and its HTTP port listen.</summary>
    private async Task<IReadOnlyList<IPEndPoint>> ListeningOnAsync(NodeProcess silo, int gatewayPort)
    {
        IReadOnlyList<IPEndPoint> sockets = [];
        await Eventually.True(
            () =>
            {
                if (silo.HasExited)
                {
                    throw new InvalidOperationException($"the silo exited with {silo.ExitCode}:\n{silo.Output()}");
                }

                sockets = ListeningSockets.Of(silo.Pid);
                return sockets.Any(s => s.Port == gatewayPort) && sockets.Any(s => s.Port == _httpPort);
            },
            StartTimeout,
            $"the silo to listen on its gateway port {gatewayPort} and HTTP port {_httpPort}");
        return sockets;
    }

    private static void AssertOnlyLoopback(NodeProcess silo, IReadOnlyList<IPEndPoint> sockets) =>
        Assert.True(
            sockets.All(s => IPAddress.IsLoopback(s.Address)),
            $"the silo listens beyond loopback: {string.Join(", ", sockets)}\n{silo.Output()}");

    private async Task AssertMetricsOnLoopbackOnlyAsync(IReadOnlyList<IPEndPoint> sockets)
    {
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, _httpPort)], sockets.Where(s => s.Port == _httpPort));
        using var http = new HttpClient();
        var metrics = await http.GetAsync(new Uri($"http://127.0.0.1:{_httpPort}/metrics"));
        Assert.True(metrics.IsSuccessStatusCode, $"GET /metrics answered {metrics.StatusCode}");
    }
}
