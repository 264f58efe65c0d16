using System.Diagnostics;
using System.Diagnostics.Metrics;
using Coordinator.Silo.Telemetry;

namespace Coordinator.Gateway.Telemetry;

/// <summary>
/// The gateway's instruments: requests by method and outcome with their latency, notification
/// delivery from the Peer grain's publish to the socket write, stream lag (publish to arrival at
/// the gateway), and a trace span per mediasoup request.
/// </summary>
internal static class GatewayMetrics
{
    public const string Name = CoordinatorTelemetry.Prefix + "Gateway";

    public static readonly ActivitySource Activities = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "coordinator.requests", description: "mediasoup requests answered, by method and outcome (ok, error, timeout)");

    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "coordinator.request.duration", unit: "ms", description: "Time from a mediasoup request's arrival to its response, by method");

    private static readonly Histogram<double> NotificationDelivery = Meter.CreateHistogram<double>(
        "coordinator.notification.delivery", unit: "ms", description: "Time from the Peer grain's publish to the notification's socket write");

    private static readonly Histogram<double> StreamLag = Meter.CreateHistogram<double>(
        "coordinator.stream.lag", unit: "ms", description: "Time from the Peer grain's publish to the item's arrival at the gateway");

    private static readonly Counter<long> NotificationsForClosedSessions = Meter.CreateCounter<long>(
        "coordinator.notifications.unclaimed", description: "Notification stream items that arrived for a session whose socket had already closed (dropped)");

    private static readonly Counter<long> RecoveredNotifications = Meter.CreateCounter<long>(
        "coordinator.notifications.recovered", description: "Notifications lost on their stream (a notification queue died with its silo) and asked of their Peer again");

    private static readonly Counter<long> ResentRequests = Meter.CreateCounter<long>(
        "coordinator.requests.resent", description: "Requests sent to their Peer a second time because a path to the cluster was lost while the first call was out (the Peer runs each once)");

    /// <summary>The request methods of the protocol; anything else (client-chosen text) is counted as "other".</summary>
    private static readonly HashSet<string> Methods = ["queryRoom", "join", "createTransport", "restartTransport", "createProducer", "enableConsumer"];

    public static string MethodTag(string? method) => method is not null && Methods.Contains(method) ? method : "other";

    public static void ObserveConnections(Func<int> count) =>
        Meter.CreateObservableGauge("coordinator.connections", count, description: "Open peer sessions on this gateway: protoo sockets and sessions of frontend connections");

    public static void RequestAnswered(string method, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "method", method }, { "outcome", outcome } };
        Requests.Add(1, tags);
        RequestDuration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("method", method));
    }

    public static void Delivered(long publishedAtTicks) => Record(NotificationDelivery, publishedAtTicks);

    public static void Arrived(long publishedAtTicks) => Record(StreamLag, publishedAtTicks);

    public static void NotificationForClosedSession() => NotificationsForClosedSessions.Add(1);

    public static void NotificationsRecovered(long count) => RecoveredNotifications.Add(count);

    public static void RequestResent() => ResentRequests.Add(1);

    /// <summary>Publish times are wall-clock ticks from the silo: across machines this includes their clock offset.</summary>
    private static void Record(Histogram<double> histogram, long publishedAtTicks)
    {
        if (publishedAtTicks > 0)
        {
            histogram.Record(TimeSpan.FromTicks(DateTime.UtcNow.Ticks - publishedAtTicks).TotalMilliseconds);
        }
    }
}
