using Coordinator.Grains.Media;
using Coordinator.Silo.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans;
using Orleans.Runtime;

namespace Coordinator.Silo.Media;

/// <summary>DI registration of the media plane on local mediasoup workers.</summary>
public static class MediaPlaneServiceCollectionExtensions
{
    /// <summary>
    /// Registers the worker pool (settings bound from <paramref name="mediaWorkersSection"/>), run by
    /// the silo's lifecycle (<see cref="WorkerPoolSiloLifecycle"/>), and <see cref="IMediaPlane"/> as
    /// a singleton <see cref="WorkerMediaPlane"/>.
    /// </summary>
    public static IServiceCollection AddWorkerMediaPlane(this IServiceCollection services, IConfiguration mediaWorkersSection)
    {
        services.AddOptions<WorkerOptions>().Bind(mediaWorkersSection);
        services.TryAddSingleton<WorkerPool>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, WorkerPoolSiloLifecycle>();
        services.TryAddSingleton<WorkerMediaPlane>();
        services.TryAddSingleton<IMediaPlane>(sp => sp.GetRequiredService<WorkerMediaPlane>());
        return services;
    }
}
