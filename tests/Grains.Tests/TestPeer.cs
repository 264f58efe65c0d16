using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Orleans.Streams;

namespace Coordinator.Grains.Tests;

/// <summary>Plays the gateway for one session: connects, subscribes to a notification stream of its own, records every item.</summary>
public sealed class TestPeer : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly IClusterClient _client;
    private readonly List<SessionStreamItem> _items = [];
    private StreamSubscriptionHandle<SessionStreamItem>? _subscription;

    private TestPeer(IClusterClient client, PeerSession session)
    {
        _client = client;
        Session = session;
    }

    public PeerSession Session { get; }

    public string Name => Session.PeerName;

    public IPeerGrain Grain => _client.GetGrain<IPeerGrain>(Session.PeerKey);

    public IRoomGrain Room => _client.GetGrain<IRoomGrain>(Session.RoomId);

    public IReadOnlyList<SessionStreamItem> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    /// <summary>The mediasoup notifications received so far, in seq order.</summary>
    public IReadOnlyList<JsonElement> Notifications => [.. Items.Where(item => item.Notification is not null).Select(item => item.Notification!.Value)];

    public static async Task<TestPeer> ConnectAsync(IClusterClient client, string roomId, string peerName)
    {
        var sessionId = Guid.NewGuid();
        var peer = new TestPeer(client, new PeerSession(roomId, peerName, sessionId, PeerGrants.All, GrainKeys.NotificationStream($"test-gateway-{sessionId:N}", 0)));
        var stream = client.GetStreamProvider(GrainKeys.NotificationStreamProvider).GetStream<SessionStreamItem>(GrainKeys.NotificationStreamOf(peer.Session));
        peer._subscription = await stream.SubscribeAsync((item, _) =>
        {
            Assert.Equal(peer.Session.SessionId, item.SessionId);
            lock (peer._items)
            {
                peer._items.Add(item);
            }

            return Task.CompletedTask;
        });
        await peer.Grain.Connect(peer.Session);
        return peer;
    }

    /// <summary><c>join</c>, through the session's Peer as the gateway sends it.</summary>
    public async Task<MediasoupResult> JoinAsync(bool spy = false, string? appDataJson = null, JsonNode? rtpCapabilities = null)
    {
        var request = new JsonObject
        {
            ["method"] = "join",
            ["target"] = "room",
            ["peerName"] = Name,
            ["rtpCapabilities"] = rtpCapabilities ?? JsonNode.Parse(CapturedSession.JoinCapabilities.GetRawText()),
            ["spy"] = spy,
        };
        if (appDataJson is not null)
        {
            request["appData"] = JsonNode.Parse(appDataJson);
        }

        return (await Grain.Request(Session, 0, JsonSerializer.SerializeToElement(request))).Result;
    }

    public Task LeaveAsync(string? appDataJson = null)
    {
        var leave = new JsonObject { ["method"] = "leave", ["target"] = "peer", ["notification"] = true };
        if (appDataJson is not null)
        {
            leave["appData"] = JsonNode.Parse(appDataJson);
        }

        return Grain.Notify(Session, 0, JsonSerializer.SerializeToElement(leave));
    }

    public Task DisconnectAsync() => Grain.Disconnect(Session);

    /// <summary>A peer-target mediasoup request (<c>target:'peer'</c> is added); <paramref name="number"/> as a gateway numbers it (0: not repeatable).</summary>
    public async Task<MediasoupResult> RequestAsync(string method, object fields, long number = 0) => (await Grain.Request(Session, number, Message(method, fields, notification: false))).Result;

    /// <summary>A peer-target mediasoup notification; <paramref name="number"/> as for <see cref="RequestAsync"/>.</summary>
    public Task NotifyAsync(string method, object fields, long number = 0) => Grain.Notify(Session, number, Message(method, fields, notification: true));

    private static JsonElement Message(string method, object fields, bool notification)
    {
        var node = JsonSerializer.SerializeToNode(fields)!.AsObject();
        node["method"] = method;
        node["target"] = "peer";
        if (notification)
        {
            node["notification"] = true;
        }

        return JsonSerializer.SerializeToElement(node);
    }

    public async Task<JsonElement> WaitForNotificationAsync(string method, Func<JsonElement, bool>? match = null)
    {
        JsonElement found = default;
        await Eventually.True(
            () =>
            {
                var hit = Notifications.FirstOrDefault(n => n.GetProperty("method").GetString() == method && (match?.Invoke(n) ?? true));
                found = hit;
                return hit.ValueKind != JsonValueKind.Undefined;
            },
            Timeout,
            $"{Name} to receive {method}");
        return found;
    }

    public Task WaitForItemsAsync(int count) =>
        Eventually.True(() => Items.Count >= count, Timeout, $"{Name} to receive {count} stream items (has {Items.Count})");

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync();
        }
    }
}
