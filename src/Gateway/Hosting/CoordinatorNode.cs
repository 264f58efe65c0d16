using System.Net;
using Coordinator.Gateway.Admin;
using Coordinator.Gateway.Auth;
using Coordinator.Gateway.Cluster;
using Coordinator.Gateway.Connections;
using Coordinator.Gateway.Frontend;
using Coordinator.Gateway.Pages;
using Coordinator.Gateway.Telemetry;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Interfaces.Hosting;
using Coordinator.Silo.Hosting;
using Coordinator.Silo.Streams;
using Coordinator.Silo.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Coordinator.Gateway.Hosting;

/// <summary>
/// Builds the gateway process: the protoo WebSocket endpoint plus either an embedded silo
/// (<see cref="NodeMode.Embedded"/>, the one-command node) or an Orleans client of remote silos.
/// </summary>
public static partial class CoordinatorNode
{
    private static readonly string[] AspNetCoreMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics"];

    /// <summary>Builds the node; <paramref name="configure"/> lets tests adjust services before the build.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The slim builder leaves out what a node never uses (IIS, HTTP/3, regex route constraints,
        // hosting startup assemblies): less code loaded and compiled at start.
        var builder = WebApplication.CreateSlimBuilder(ConfigurationLoading.ReadOnce(args));
        builder.WebHost.UseKestrelHttpsConfiguration();
        var configuration = builder.Configuration;
        LoggingDefaults.Apply(builder);
        var gateway = configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var mode = configuration.GetValue("Node:Mode", NodeMode.Embedded);

        var tokens = new JoinTokenValidator(configuration.GetSection(TokenOptions.Section).Get<TokenOptions>() ?? new TokenOptions());
        if (!gateway.DevelopmentMode && !tokens.IsConfigured)
        {
            throw new InvalidOperationException(
                "No join token key is configured: set Gateway:Tokens:SigningKey (HS256) or Gateway:Tokens:PublicKeyFile (RS256/ES256), "
                + "or start with Gateway:DevelopmentMode=true for a tokenless node that accepts loopback connections only.");
        }

        builder.Services.AddSingleton(tokens);

        builder.Services.Configure<GatewayOptions>(configuration.GetSection(GatewayOptions.Section));
        ConfigureEndpoints(builder, configuration, gateway);
        var operations = OperationsOptions.From(configuration);
        OperationsListener.Listen(builder, operations, gateway);

        if (mode == NodeMode.Embedded)
        {
            builder.UseOrleans(silo => silo.UseCoordinatorClustering(configuration).AddCoordinatorGrains(configuration).AddCoordinatorMedia(configuration).AddCoordinatorTracing(configuration));
        }
        else
        {
            builder.UseOrleansClient(client => ConfigureClient(client, configuration));
        }

        builder.Services.AddSingleton<GatewayInstance>();
        builder.Services.TryAddSingleton(NotificationStreamConfiguration.Read(configuration));
        builder.Services.AddSingleton<GatewayNotifications>();
        builder.Services.AddHostedService(services => services.GetRequiredService<GatewayNotifications>());
        builder.Services.AddSingleton<ConnectionTracker>();
        builder.Services.AddHostedService<MemoryRelease>();
        builder.Services.AddSingleton<ProtooEndpoint>();
        builder.Services.AddSingleton<ConnectionSlots>();
        builder.Services.AddSingleton<PeerConnectOrder>();
        builder.Services.Configure<FrontendOptions>(configuration.GetSection(FrontendOptions.Section));
        builder.Services.AddSingleton<FrontendServices>();
        builder.Services.AddSingleton<FrontendEndpoint>();
        builder.Services.AddSingleton<UnfinishedMessageBudget>();
        builder.Services.AddSingleton<GatewaySelfReport>();
        builder.Services.AddHostedService<SessionLease>();
        builder.Services.AddSingleton<PathLosses>();
        builder.Services.AddSingleton<ClusterWatch>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ClusterWatch>());
        builder.Services.AddHealthChecks().AddCheck<ClusterReadyCheck>("cluster", tags: [HealthEndpoints.ReadyTag]);
        builder.Services.AddCoordinatorAdmin(configuration);
        builder.Services.AddCoordinatorTelemetry(
            configuration,
            // ASP.NET Core's own meters; the instrumentation package's metrics would add a middleware
            // around every request (and so every socket) only to tag its error type.
            metrics: meters => meters.AddMeter(AspNetCoreMeters).AddPrometheusExporter(),
            tracing: traces => traces.AddAspNetCoreInstrumentation());
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapOperationsListener(operations);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        // The pages answer plain GETs before routing; WebSocket upgrades to / go on to the protoo endpoint.
        app.UseCoordinatorPages(gateway);
        app.UseRouting();
        app.Map("/", (HttpContext context, ProtooEndpoint endpoint) => endpoint.HandleAsync(context));
        if (configuration.GetSection(FrontendOptions.Section).Get<FrontendOptions>() is not { Enabled: false })
        {
            app.Map(FrontendEndpoint.Path, (HttpContext context, FrontendEndpoint endpoint) => endpoint.HandleAsync(context));
        }

        app.MapHealthChecks(HealthEndpoints.LivePath, HealthEndpoints.Live);
        app.MapHealthChecks(HealthEndpoints.ReadyPath, HealthEndpoints.Ready);
        app.MapCoordinatorAdmin();

        var lifetime = app.Lifetime;
        var tracker = app.Services.GetRequiredService<ConnectionTracker>();
        GatewayMetrics.ObserveConnections(() => tracker.Count);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Coordinator");
        lifetime.ApplicationStarted.Register(() => LogListening(logger, mode, string.Join(", ", app.Urls.Where(url => !operations.Serves(url)))));
        if (gateway.DevelopmentMode)
        {
            lifetime.ApplicationStarted.Register(() => LogDevelopmentMode(logger));
            if (gateway.DevelopmentModeAcceptsRemoteClients)
            {
                lifetime.ApplicationStarted.Register(() => LogDevelopmentModeRemote(logger));
            }
        }
        lifetime.ApplicationStopping.Register(() => tracker.CloseAll((int)System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
        return app;
    }

    /// <summary>
    /// Listens on Gateway:ListenAddress and Gateway:Port, with TLS (wss://) when Kestrel's standard
    /// default certificate is configured (Kestrel:Certificates:Default:Path, :Password or :KeyPath).
    /// A Kestrel:Endpoints section, if present, replaces this entirely (standard Kestrel configuration).
    /// </summary>
    private static void ConfigureEndpoints(WebApplicationBuilder builder, IConfiguration configuration, GatewayOptions gateway)
    {
        builder.WebHost.ConfigureKestrel(kestrel => KestrelLimits.Apply(kestrel, gateway));
        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            return;
        }

        var tls = configuration.GetSection("Kestrel:Certificates:Default").GetChildren().Any();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(ParseAddress(gateway.ListenAddress), gateway.Port, listen =>
        {
            if (tls)
            {
                listen.UseHttps();
            }
        }));
    }

    private static void ConfigureClient(IClientBuilder client, IConfiguration configuration)
    {
        var cluster = ClusterSettings.From(configuration);
        client.UseClusterTls(configuration);
        if (cluster.UsesExternalStore)
        {
            client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            if (cluster.UsesRedis)
            {
                client.UseRedisClustering(options => options.ConfigurationOptions = CoordinatorSilo.RedisConfiguration(cluster));
            }
            else
            {
                // A gateway may start before any silo: it too makes sure the tables exist.
                var connectionString = PostgreSqlClusterStore.ConnectionString(cluster);
                if (cluster.PostgreSqlCreateSchema)
                {
                    PostgreSqlClusterStore.EnsureSchema(connectionString);
                }

                client.UseAdoNetClustering(options => (options.Invariant, options.ConnectionString) = (PostgreSqlClusterStore.Invariant, connectionString));
            }

            MembershipTuning.ApplyToClient(client.Services, configuration);
        }
        else
        {
            client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
        }

        client.Services.AddSingleton<IClusterConnectionStatusObserver>(services => services.GetRequiredService<ClusterWatch>());
        client.AddPersistentStreams(GrainKeys.NotificationStreamProvider, NotificationQueueAdapterFactory.Create, _ => { });
        client.Services.AddSerializer(serializer => serializer.AddCoordinatorJson());
        client.AddCoordinatorTracing(configuration);
    }

    /// <summary>The address a listen setting names (<paramref name="setting"/>); anything else stops the node at start-up.</summary>
    internal static IPAddress ParseAddress(string address, string setting = "Gateway:ListenAddress") => address switch
    {
        "localhost" => IPAddress.Loopback,
        "*" => IPAddress.Any,
        _ when IPAddress.TryParse(address, out var parsed) => parsed,
        _ => throw new InvalidOperationException($"{setting} must be an IP address, \"localhost\" or \"*\"; got \"{address}\"."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Coordinator ({Mode}) listening on {Urls}: connect with ws://<address>:<port>/?roomId=<room>&peerName=<peer> and sub-protocol \"protoo\"")]
    private static partial void LogListening(ILogger logger, NodeMode mode, string urls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEVELOPMENT MODE: no token is required and only loopback connections are accepted")]
    private static partial void LogDevelopmentMode(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEVELOPMENT MODE WIDENED: clients from ANY address may connect without a token (Gateway:DevelopmentModeAcceptsRemoteClients=true)")]
    private static partial void LogDevelopmentModeRemote(ILogger logger);
}
