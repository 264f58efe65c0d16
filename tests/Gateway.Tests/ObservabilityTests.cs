using System.Diagnostics;
using Coordinator.TestSupport;

namespace Coordinator.Gateway.Tests;

/// <summary>The Prometheus endpoint (on the operations listener) and the request traces of a real embedded node.</summary>
[Collection(ObservedNodeCollection.Name)]
public sealed class ObservabilityTests(EmbeddedNode node)
{
    [Fact]
    public async Task Metrics_count_requests_rooms_workers_and_notification_delivery()
    {
        var room = $"metrics-{Guid.NewGuid():N}";
        await using var joined = await node.JoinedPeersAsync(room, "alice", "bob");
        var (alice, bob) = joined;
        await alice.WaitForNotificationAsync("newPeer");

        string[] expected =
        [
            "coordinator_requests_total{",
            "method=\"join\"",
            "outcome=\"ok\"",
            "coordinator_request_duration_milliseconds_bucket{",
            "coordinator_notification_delivery_milliseconds_count",
            "coordinator_stream_lag_milliseconds_count",
            "coordinator_connections",
            "coordinator_rooms",
            "coordinator_peers",
            "coordinator_transports",
            "coordinator_workers",
            "coordinator_worker_memory_bytes",
            "coordinator_worker_cpu_time_seconds_total",
        ];
        var text = "";
        await Eventually.True(
            async () => expected.All((text = await node.OperationsHttp.GetStringAsync("/metrics")).Contains),
            TimeSpan.FromSeconds(10),
            "every Coordinator metric on /metrics");
        Assert.Matches(@"(?m)^coordinator_workers(\{[^}]*\})? 1(\s|$)", text);
    }

    [Fact]
    public async Task Each_mediasoup_request_is_a_trace_span_with_its_room_and_peer()
    {
        var room = $"trace-{Guid.NewGuid():N}";
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Coordinator.Gateway",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await using var alice = await node.JoinedPeerAsync(room, "alice");

        Activity? join = null;
        await Eventually.True(
            () =>
            {
                lock (spans)
                {
                    join = spans.FirstOrDefault(span => span.DisplayName == "mediasoup join" && (string?)span.GetTagItem("coordinator.room") == room);
                }

                return join is not null;
            },
            TimeSpan.FromSeconds(5),
            "a 'mediasoup join' span for the room");
        Assert.Equal("alice", join!.GetTagItem("coordinator.peer"));
        Assert.Equal("ok", join.GetTagItem("coordinator.outcome"));
    }
}

/// <summary>
/// A node of its own, run when no other test runs: when another node in this test process stops,
/// the survivors lose their <c>Coordinator.Silo</c> series from the scrape (the nodes' meters share
/// one name, and the OpenTelemetry SDK ends the shared series with the first meter disposed).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservedNodeCollection : ICollectionFixture<EmbeddedNode>
{
    public const string Name = "observed node";
}
