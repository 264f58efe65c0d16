namespace Coordinator.Gateway.Hosting;

/// <summary>
/// The operations listener: a second Kestrel endpoint that serves <c>GET /metrics</c> and the health
/// endpoints and nothing else. Requests are told apart by the connection's local port, which a
/// client cannot forge (routing by <c>RequireHost</c> would trust the Host header). The public
/// listener never maps <c>/metrics</c>, so it answers 404 there whatever the method.
/// </summary>
internal static partial class OperationsListener
{
    public const string MetricsPath = "/metrics";

    /// <summary>Binds the listener, unless its port is 0; bad settings stop the node here.</summary>
    public static void Listen(WebApplicationBuilder builder, OperationsOptions operations, GatewayOptions gateway)
    {
        if (!operations.Enabled)
        {
            return;
        }

        var address = operations.Validate(gateway);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, operations.Port));
    }

    /// <summary>
    /// Sends every request that arrived on the listener to its own small pipeline. Call it before
    /// anything else is added to <paramref name="app"/>: such a request never reaches the WebSocket
    /// endpoint or the admin API.
    /// </summary>
    public static void MapOperationsListener(this WebApplication app, OperationsOptions operations)
    {
        if (!operations.Enabled)
        {
            return;
        }

        app.MapWhen(context => context.Connection.LocalPort == operations.Port, branch =>
        {
            branch.UseHealthChecks(HealthEndpoints.LivePath, HealthEndpoints.Live);
            branch.UseHealthChecks(HealthEndpoints.ReadyPath, HealthEndpoints.Ready);
            branch.UseOpenTelemetryPrometheusScrapingEndpoint(context => IsMetricsPath(context) && IsRead(context.Request.Method));
            branch.Run(Refuse);
        });

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Coordinator");
        app.Lifetime.ApplicationStarted.Register(() => LogListening(logger, string.Join(", ", app.Urls.Where(operations.Serves))));
    }

    private static bool IsMetricsPath(HttpContext context) => context.Request.Path == MetricsPath;

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    /// <summary>405 for <c>/metrics</c> with a method other than GET or HEAD, 404 for anything else.</summary>
    private static Task Refuse(HttpContext context)
    {
        if (IsMetricsPath(context))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operations endpoints /metrics, /health/live and /health/ready on {Urls} (Gateway:Operations)")]
    private static partial void LogListening(ILogger logger, string urls);
}
