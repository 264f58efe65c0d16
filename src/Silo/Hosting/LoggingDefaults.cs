using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Hosting;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Quiet defaults for framework logging (Orleans logs every option at Information). They are the
/// first configuration source, so appsettings, environment variables and the command line override them.
/// </summary>
public static class LoggingDefaults
{
    /// <summary>
    /// The defaults below, and console lines that no logged value can break
    /// (<see cref="EscapingConsoleFormatter"/>). Call it right after creating the builder, which
    /// registers the console formatters this wraps.
    /// </summary>
    public static void Apply(IHostApplicationBuilder builder)
    {
        Apply(builder.Configuration);
        EscapingConsoleFormatter.Decorate(builder.Services);
    }

    public static void Apply(IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Orleans"] = "Warning",
                ["Logging:LogLevel:Polly"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",

                // Gateway log lines carry their socket's RoomId and PeerName scope; with
                // Logging:Console:FormatterName=json every line is one structured JSON object.
                ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
            },
        });
}
