using Coordinator.Grains.Media;
using Coordinator.Silo.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Coordinator.Silo.Media;

/// <summary>DI registration of the media plane on local mediasoup workers.</summary>
public static class MediaPlaneServiceCollectionExtensions
{
    /// <summary>
    /// Registers the worker pool (<see cref="WorkerServiceCollectionExtensions.AddMediaWorkers(IServiceCollection, IConfiguration)"/>,
    /// bound from <paramref name="mediaWorkersSection"/>) and <see cref="IMediaPlane"/> as a
    /// singleton <see cref="WorkerMediaPlane"/>.
    /// </summary>
    public static IServiceCollection AddWorkerMediaPlane(this IServiceCollection services, IConfiguration mediaWorkersSection)
    {
        services.AddMediaWorkers(mediaWorkersSection);
        services.TryAddSingleton<WorkerMediaPlane>();
        services.TryAddSingleton<IMediaPlane>(sp => sp.GetRequiredService<WorkerMediaPlane>());
        return services;
    }
}
