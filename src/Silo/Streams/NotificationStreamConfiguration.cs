using Coordinator.Grains.Interfaces.Hosting;
using Microsoft.Extensions.Configuration;

namespace Coordinator.Silo.Streams;

/// <summary>Reads <see cref="NotificationStreamSettings"/> (section <c>Streams</c>) the same way on silos and gateways.</summary>
public static class NotificationStreamConfiguration
{
    public static NotificationStreamSettings Read(IConfiguration configuration)
    {
        var settings = configuration.GetSection(NotificationStreamSettings.Section).Get<NotificationStreamSettings>() ?? new NotificationStreamSettings();
        if (settings.StreamsPerGateway < 1 || settings.Queues < 1 || settings.MaxBatchesPerQueue < 1 || settings.CachedBatchesPerQueue < 1)
        {
            throw new InvalidOperationException("Streams:StreamsPerGateway, Streams:Queues, Streams:MaxBatchesPerQueue and Streams:CachedBatchesPerQueue must be at least 1.");
        }

        if (settings.QueueReadWait <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Streams:QueueReadWait must be positive.");
        }

        return settings;
    }
}
