using System.Text.Json;
using Coordinator.Gateway.Auth;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Interfaces.Hosting;
using Coordinator.Silo.Hosting;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// The docker-compose topology as local processes on loopback: a private redis-server (or, with
/// <see cref="ClusterStore.PostgreSql"/>, a private PostgreSQL server and the environment of
/// <c>docker-compose.postgres.yml</c>), silo1 and silo2 with real mediasoup workers, gateway1 and gateway2. Each service runs with its compose
/// environment; only what a single machine needs differs (host names become 127.0.0.1, ports
/// become free ones, RTC sockets bind to loopback). The test process is also an Orleans client,
/// to ask a room where it lives. With TLS, every process (the test's client too) gets its own
/// certificate from a CA made for this cluster; without, TLS is off whatever the compose file says.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _signingKey = TokenKeys.NewSymmetricKey();
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";
    private readonly List<NodeProcess> _processes = [];
    private string? _redisData;
    private IHost? _client;
    private bool _developmentMode;
    private TestCertificates? _certificates;
    private ClusterStore _store;
    private IReadOnlyDictionary<string, string> _gatewaySettings = new Dictionary<string, string>();

    public NodeProcess Redis { get; private set; } = null!;

    /// <summary>The store of a <see cref="ClusterStore.PostgreSql"/> cluster.</summary>
    public PostgresServer Postgres { get; private set; } = null!;

    public int RedisPort { get; } = FreePort.Next();

    public Dictionary<string, (NodeProcess Process, int SiloPort)> Silos { get; } = [];

    public Dictionary<string, (NodeProcess Process, int Port)> Gateways { get; } = [];

    public IGrainFactory Grains => _client!.Services.GetRequiredService<IClusterClient>();

    /// <summary>The cluster's CA when it runs with TLS.</summary>
    public TestCertificates.Authority? Authority { get; private set; }

    /// <summary>Where this cluster's certificates are written (TLS only).</summary>
    public TestCertificates Certificates => _certificates ?? throw new InvalidOperationException("this cluster runs without TLS");

    /// <summary>
    /// Starts the topology; <paramref name="developmentMode"/> makes the gateways tokenless (for
    /// browser pages), <paramref name="tls"/> turns on mutual TLS between all of its processes,
    /// <paramref name="persistentRedis"/> gives Redis an append-only file (a restart keeps its data),
    /// <paramref name="store"/> picks the cluster store (PostgreSQL always keeps its data on a restart).
    /// </summary>
    public static async Task<LocalCluster> StartAsync(bool developmentMode = false, bool tls = false, bool persistentRedis = false, ClusterStore store = ClusterStore.Redis)
    {
        var cluster = new LocalCluster
        {
            _developmentMode = developmentMode,
            _redisData = persistentRedis ? Directory.CreateTempSubdirectory("coordinator-redis-").FullName : null,
            _store = store,
        };
        if (tls)
        {
            cluster._certificates = new TestCertificates();
            cluster.Authority = TestCertificates.NewAuthority($"{cluster._clusterId} CA");
        }

        try
        {
            if (store == ClusterStore.PostgreSql)
            {
                cluster.Postgres = await PostgresServer.StartNewAsync();
            }
            else
            {
                await cluster.StartRedisAsync();
            }

            await Task.WhenAll(cluster.StartSiloAsync("silo1"), cluster.StartSiloAsync("silo2"));
            await Task.WhenAll(cluster.StartGatewayAsync("gateway1"), cluster.StartGatewayAsync("gateway2"));
            await cluster.StartClientAsync();

            // A gateway is ready once it reaches one active silo; the tests expect both to serve.
            await Eventually.True(async () => await cluster.ActiveSilosAsync() == 2, StartTimeout, "both silos to be active");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts Redis, silo1 and gateway1 only, the gateway with <paramref name="gatewaySettings"/>
    /// added to its environment; a test starts silo2 when it needs it (<see cref="StartSiloAsync"/>).
    /// </summary>
    public static async Task<LocalCluster> StartWithOneSiloAsync(IReadOnlyDictionary<string, string> gatewaySettings)
    {
        var cluster = new LocalCluster { _gatewaySettings = gatewaySettings };
        try
        {
            await cluster.StartRedisAsync();
            await cluster.StartSiloAsync("silo1");
            await cluster.StartGatewayAsync("gateway1");
            await cluster.StartClientAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartRedisAsync()
    {
        // Without persistence a restarted Redis starts empty; with it (an append-only file, synced
        // at every write here so that a kill -9 loses nothing) it comes back with its data.
        string[] persistence = _redisData is null
            ? ["--save", "", "--appendonly", "no"]
            : ["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", _redisData];
        Redis = NodeProcess.Start("redis", "redis-server", ["--port", $"{RedisPort}", "--bind", "127.0.0.1", .. persistence], new Dictionary<string, string>());
        _processes.Add(Redis);
        await Redis.WaitForPortAsync(RedisPort, StartTimeout);
    }

    /// <summary>SIGSTOP of the cluster store (every process of it).</summary>
    public void FreezeStore()
    {
        if (_store == ClusterStore.PostgreSql)
        {
            Postgres.Freeze();
        }
        else
        {
            Redis.Freeze();
        }
    }

    /// <summary>SIGCONT after <see cref="FreezeStore"/>.</summary>
    public void ThawStore()
    {
        if (_store == ClusterStore.PostgreSql)
        {
            Postgres.Thaw();
        }
        else
        {
            Redis.Thaw();
        }
    }

    /// <summary>kill -9 of the cluster store (every process of it).</summary>
    public void KillStore()
    {
        if (_store == ClusterStore.PostgreSql)
        {
            Postgres.KillHard();
        }
        else
        {
            Redis.KillHard();
        }
    }

    /// <summary>Starts the store again after <see cref="KillStore"/>, with its data (Redis: only if persistent).</summary>
    public Task RestartStoreAsync() => _store == ClusterStore.PostgreSql ? Postgres.StartAsync() : StartRedisAsync();

    /// <summary>Starts (or starts again, as a supervisor would) a silo service of the compose file.</summary>
    public async Task StartSiloAsync(string service)
    {
        var (silo, gatewayPort) = LaunchSilo(service, service, NodeTls(service));
        await silo.WaitForPortAsync(gatewayPort, StartTimeout);
    }

    /// <summary>
    /// Starts a silo called <paramref name="name"/> with the compose environment of <paramref name="service"/>
    /// and the TLS settings <paramref name="tls"/>, without waiting for it; returns it and its gateway port.
    /// </summary>
    public (NodeProcess Process, int GatewayPort) LaunchSilo(string name, string service, ClusterTlsOptions tls)
    {
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var environment = ServiceEnvironment(service, tls);
        environment["Orleans__SiloPort"] = $"{siloPort}";
        environment["Orleans__GatewayPort"] = $"{gatewayPort}";
        environment["Orleans__AdvertisedIPAddress"] = "127.0.0.1";
        environment["MediaWorkers__RtcIPv4"] = "127.0.0.1";
        environment["Orleans__ListenAddress"] = "127.0.0.1";
        environment["Telemetry__SiloHttpAddress"] = "127.0.0.1";
        environment["Telemetry__SiloHttpPort"] = $"{FreePort.Next()}";
        environment.Remove("MediaWorkers__RtcAnnouncedIPv4");
        var silo = NodeProcess.Start(name, Executable("Coordinator.Silo"), [], environment);
        _processes.Add(silo);
        Silos[name] = (silo, siloPort);
        return (silo, gatewayPort);
    }

    private async Task StartGatewayAsync(string service)
    {
        var (gateway, port) = LaunchGateway(service, service, NodeTls(service));
        await gateway.WaitForPortAsync(port, StartTimeout);
        await Eventually.True(() => IsReadyAsync(service), StartTimeout, $"{service} to be ready (/health/ready)");
    }

    /// <summary>Starts (or starts again, as a supervisor would) a gateway service of the compose file; returns once it is ready.</summary>
    public Task RestartGatewayAsync(string service) => StartGatewayAsync(service);

    /// <summary>Whether a gateway answers 200 on /health/ready.</summary>
    public async Task<bool> IsReadyAsync(string gateway)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Gateways[gateway].Port}") };
        try
        {
            return (await http.GetAsync("/health/ready")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening (yet, or any more)
        }
    }

    /// <summary>Like <see cref="LaunchSilo"/>, for a gateway; returns it and its WebSocket port.</summary>
    public (NodeProcess Process, int Port) LaunchGateway(string name, string service, ClusterTlsOptions tls)
    {
        var port = FreePort.Next();
        var environment = ServiceEnvironment(service, tls);
        environment["Gateway__ListenAddress"] = "127.0.0.1";
        environment["Gateway__Port"] = $"{port}";
        environment["Gateway__Operations__Port"] = $"{FreePort.Next()}";
        if (_developmentMode)
        {
            environment["Gateway__DevelopmentMode"] = "true";
        }

        foreach (var (key, value) in _gatewaySettings)
        {
            environment[key] = value;
        }

        var gateway = NodeProcess.Start(name, Executable("Coordinator.Gateway"), [], environment);
        _processes.Add(gateway);
        Gateways[name] = (gateway, port);
        return (gateway, port);
    }

    /// <summary>A certificate from this cluster's CA for <paramref name="node"/>, or TLS off for a cluster without.</summary>
    private ClusterTlsOptions NodeTls(string node) =>
        _certificates is null ? new ClusterTlsOptions { Enabled = false } : _certificates.Issue(node, Authority!);

    private Dictionary<string, string> ServiceEnvironment(string service, ClusterTlsOptions tls)
    {
        var variables = new Dictionary<string, string> { ["COORDINATOR_SIGNING_KEY"] = _signingKey, ["COORDINATOR_DB_PASSWORD"] = "unused" };
        var environment = ComposeServices.Environment(service, variables, _store == ClusterStore.PostgreSql ? "docker-compose.postgres.yml" : "docker-compose.yml");
        foreach (var (key, value) in TestCertificates.Environment(tls))
        {
            environment[key] = value;
        }

        if (_store == ClusterStore.PostgreSql)
        {
            // The compose file's connection string names the postgres service; here it is the private server.
            environment["Orleans__PostgreSqlConnectionString"] = Postgres.ConnectionString;
        }
        else
        {
            environment["Orleans__RedisConnectionString"] = $"127.0.0.1:{RedisPort}";
        }

        environment["Orleans__ClusterId"] = _clusterId;
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["Logging__LogLevel__Coordinator"] = "Information";
        environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        return environment;
    }

    private async Task StartClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (_clusterId, "coordinator"));
            if (_store == ClusterStore.PostgreSql)
            {
                client.UseAdoNetClustering(options => (options.Invariant, options.ConnectionString) = (PostgreSqlClusterStore.Invariant, Postgres.ConnectionString));
            }
            else
            {
                client.UseRedisClustering($"127.0.0.1:{RedisPort}");
            }

            client.UseClusterTls(NodeTls("test-client"));
            client.Services.AddSerializer(serializer => serializer.AddCoordinatorJson());
        });
        _client = builder.Build();
        await _client.StartAsync();
    }

    /// <summary><c>ws://127.0.0.1:PORT</c> of a gateway.</summary>
    public Uri GatewayBaseUri(string gateway) => new($"ws://127.0.0.1:{Gateways[gateway].Port}");

    public Uri GatewayUri(string gateway, string roomId, string peerName)
    {
        var token = JoinTokenIssuer.Create(TokenKeys.Symmetric(_signingKey), roomId, peerName, PeerGrants.All, TimeSpan.FromMinutes(10));
        return new Uri($"ws://127.0.0.1:{Gateways[gateway].Port}/?roomId={Uri.EscapeDataString(roomId)}&peerName={Uri.EscapeDataString(peerName)}&token={token}");
    }

    public Task<ProtooClient> ConnectAsync(string gateway, string roomId, string peerName) =>
        ProtooClient.ConnectAsync(GatewayUri(gateway, roomId, peerName), peerName);

    /// <summary>A signaling frontend's connection to <paramref name="gateway"/>, with a token for every room.</summary>
    public Task<FrontendClient> ConnectFrontendAsync(string gateway) =>
        FrontendClient.ConnectAsync(
            new Uri($"ws://127.0.0.1:{Gateways[gateway].Port}"),
            JoinTokenIssuer.Create(TokenKeys.Symmetric(_signingKey), "*", "test-frontend", PeerGrants.Frontend, TimeSpan.FromMinutes(10)));

    /// <summary>The compose service name of the silo hosting <paramref name="roomId"/>.</summary>
    public async Task<string> SiloOfRoomAsync(string roomId)
    {
        var host = await Grains.GetGrain<IRoomGrain>(roomId).Host();
        return Silos.Single(silo => silo.Value.SiloPort == host.Endpoint.Port).Key;
    }

    /// <summary>How many silos the membership table lists as active; 0 while the cluster cannot be asked.</summary>
    public async Task<int> ActiveSilosAsync()
    {
        try
        {
            return (await Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    /// <summary>Everything the processes said, for a failure message.</summary>
    public string Logs() => string.Join("\n\n", _processes.Append(Postgres?.Process).OfType<NodeProcess>().Select(process => $"==== {process.Name} (pid {process.Pid})\n{process.Output()}"));

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
            _client.Dispose();
        }

        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        _certificates?.Dispose();
        if (_redisData is not null)
        {
            Directory.Delete(_redisData, recursive: true);
        }
    }

    /// <summary>
    /// The app in its own project's output (same configuration as this test build): a test
    /// output folder has the test's dependency set, not the app's.
    /// </summary>
    internal static string Executable(string name)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var project = name["Coordinator.".Length..];
        return Path.Combine(TestData.RepositoryRoot(), "src", project, "bin", configuration, framework.Name, name);
    }
}

/// <summary>Where a <see cref="LocalCluster"/> keeps membership and the streams' pub-sub state.</summary>
public enum ClusterStore
{
    Redis,
    PostgreSql,
}
