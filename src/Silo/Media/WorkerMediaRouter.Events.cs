using System.Text.Json;
using Coordinator.Grains.Media;
using Coordinator.Silo.Workers;

namespace Coordinator.Silo.Media;

/// <summary>
/// Transport and consumer events → <see cref="IMediaEventSink"/> calls with protocol ids
/// (docs/worker-channel.md#events). Handlers run on the channel's reader, so the events a request
/// causes are handled before its reply completes the request.
/// </summary>
public sealed partial class WorkerMediaRouter
{
    private void OnTransportEvent(TransportRecord transport, WorkerEvent workerEvent)
    {
        lock (_gate)
        {
            // Not live yet: the only event is the spurious close of a failed creation (docs/worker-channel.md#methods).
            if (_closedReason is not null || !transport.IsLive)
            {
                return;
            }

            switch (workerEvent.Name)
            {
                case "close":
                    ForgetLocked(transport);
                    if (!transport.ClosingByUs)
                    {
                        Deliver(() => _events.TransportClosed(transport.Id));
                    }

                    break;
                case "icestatechange" when StringOf(workerEvent.Data, "iceState") is { } iceState:
                    Deliver(() => _events.IceStateChanged(transport.Id, iceState));
                    break;
                case "dtlsstatechange" when StringOf(workerEvent.Data, "dtlsState") is { } dtlsState:
                    Deliver(() => _events.DtlsStateChanged(transport.Id, dtlsState));
                    break;
            }
        }
    }

    private void OnConsumerEvent(ConsumerRecord consumer, WorkerEvent workerEvent)
    {
        lock (_gate)
        {
            // A consumer in creation is included: sourcepaused comes before the createConsumer reply.
            if (_closedReason is not null || !consumer.IsCurrent)
            {
                return;
            }

            switch (workerEvent.Name)
            {
                case "close":
                    ForgetLocked(consumer, report: !consumer.ClosingByUs);
                    break;
                case "sourcepaused":
                    Deliver(() => _events.ConsumerSourcePaused(consumer.Id));
                    break;
                case "sourceresumed":
                    Deliver(() => _events.ConsumerSourceResumed(consumer.Id));
                    break;
                case "effectiveprofilechange" when StringOf(workerEvent.Data, "profile") is { } profile:
                    Deliver(() => _events.ConsumerEffectiveProfileChanged(consumer.Id, profile));
                    break;
            }
        }
    }

    private static string? StringOf(JsonElement? data, string property) =>
        data is { ValueKind: JsonValueKind.Object } payload
        && payload.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
