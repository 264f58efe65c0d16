using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Coordinator.Silo.Workers;

/// <summary>DI registration of the mediasoup worker pool.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WorkerPool"/> as a singleton and as a hosted service, with
    /// <see cref="WorkerOptions"/> bound from <paramref name="section"/> (normally
    /// <c>configuration.GetSection("MediaWorkers")</c>).
    /// </summary>
    public static IServiceCollection AddMediaWorkers(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<WorkerOptions>().Bind(section);
        return services.AddMediaWorkersCore();
    }

    /// <summary>Registers the pool with settings set in code.</summary>
    public static IServiceCollection AddMediaWorkers(this IServiceCollection services, Action<WorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<WorkerOptions>().Configure(configure);
        return services.AddMediaWorkersCore();
    }

    private static IServiceCollection AddMediaWorkersCore(this IServiceCollection services)
    {
        services.TryAddSingleton<WorkerPool>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerPool>());
        return services;
    }
}
