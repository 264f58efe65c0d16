using System.Diagnostics.Metrics;
using Coordinator.Grains.Peers;
using Coordinator.Silo.Media;
using Coordinator.Silo.Workers;
using Microsoft.Extensions.Hosting;

namespace Coordinator.Silo.Telemetry;

/// <summary>
/// What this silo hosts, read when metrics are collected: open rooms (one router each),
/// transports, producers and consumers on its workers, and each worker's CPU time and memory.
/// </summary>
/// <remarks>A hosted service only so that its gauges exist from start-up.</remarks>
internal sealed class SiloMetrics : IHostedService, IDisposable
{
    public const string MeterName = CoordinatorTelemetry.Prefix + "Silo";
    private readonly Meter _meter = new(MeterName);

    public SiloMetrics(WorkerMediaPlane media, WorkerPool workers, ConnectedPeers peers)
    {
        _meter.CreateObservableGauge("coordinator.peers", () => peers.Count, description: "Connected peer sessions whose Peer grain is on this silo");
        _meter.CreateObservableGauge("coordinator.rooms", () => media.RouterCount, description: "Open rooms (media routers) on this silo");
        _meter.CreateObservableGauge("coordinator.transports", () => media.Count(router => router.TransportCount), description: "Transports on this silo's workers");
        _meter.CreateObservableGauge("coordinator.producers", () => media.Count(router => router.ProducerCount), description: "Producers on this silo's workers");
        _meter.CreateObservableGauge("coordinator.consumers", () => media.Count(router => router.ConsumerCount), description: "Consumers on this silo's workers");
        _meter.CreateObservableGauge("coordinator.workers", () => workers.Workers.Count, description: "Running mediasoup workers");
        _meter.CreateObservableCounter("coordinator.worker.cpu.time", () => Measure(workers, WorkerProcessStats.CpuSeconds), unit: "s", description: "CPU time used by each mediasoup worker");
        _meter.CreateObservableGauge("coordinator.worker.memory", () => Measure(workers, WorkerProcessStats.ResidentBytes), unit: "By", description: "Resident memory of each mediasoup worker");
    }

    private static IEnumerable<Measurement<double>> Measure(WorkerPool workers, Func<int, double?> read) =>
        workers.Workers
            .Select(worker => (worker.Id, Value: read(worker.Pid)))
            .Where(sample => sample.Value is not null)
            .Select(sample => new Measurement<double>(sample.Value!.Value, new KeyValuePair<string, object?>("worker", sample.Id)));

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _meter.Dispose();
}
