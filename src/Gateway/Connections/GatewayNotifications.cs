using System.Collections.Concurrent;
using Coordinator.Gateway.Telemetry;
using Coordinator.Grains.Interfaces;
using Coordinator.Grains.Interfaces.Hosting;
using Orleans.Streams;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// This gateway's notification streams: it subscribes once, when it starts, to a few streams of
/// its own, and hands each item to the session it names. A session is given one of these streams
/// when its socket opens (<see cref="StreamFor"/>), and its Peer publishes there. No per-session
/// subscription exists, so opening or closing a socket costs the cluster nothing here.
/// <para>Every few seconds it checks that the cluster still knows its subscriptions and subscribes
/// again if not: after a restart of the whole cluster, the pub-sub state may be gone.</para>
/// </summary>
internal sealed partial class GatewayNotifications(
    IClusterClient cluster,
    GatewayInstance gateway,
    NotificationStreamSettings settings,
    ILogger<GatewayNotifications> logger) : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, SessionStreamReceiver> _sessions = new();
    private int _subscribedStreams;

    /// <summary>True once every stream of this gateway is subscribed: sessions can be served.</summary>
    public bool Subscribed => Volatile.Read(ref _subscribedStreams) == settings.StreamsPerGateway;

    /// <summary>The key of the stream that will carry a session's notifications.</summary>
    public string StreamFor(Guid sessionId) =>
        GrainKeys.NotificationStream(gateway.Id, (int)((uint)sessionId.GetHashCode() % (uint)settings.StreamsPerGateway));

    /// <summary>Sends a session's items to <paramref name="receiver"/> until the returned handle is disposed.</summary>
    public IDisposable Register(Guid sessionId, SessionStreamReceiver receiver)
    {
        _sessions[sessionId] = receiver;
        return new Registration(this, sessionId);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var provider = cluster.GetStreamProvider(GrainKeys.NotificationStreamProvider);
        var streams = Enumerable.Range(0, settings.StreamsPerGateway)
            .Select(partition => provider.GetStream<SessionStreamItem>(StreamId.Create(GrainKeys.NotificationStreamNamespace, GrainKeys.NotificationStream(gateway.Id, partition))))
            .ToArray();
        while (!stopping.IsCancellationRequested)
        {
            var subscribed = 0;
            foreach (var stream in streams)
            {
                if (await EnsureSubscribedAsync(stream, stopping))
                {
                    subscribed++;
                }
            }

            Volatile.Write(ref _subscribedStreams, subscribed);
            try
            {
                await Task.Delay(subscribed == streams.Length ? CheckInterval : TimeSpan.FromMilliseconds(200), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> EnsureSubscribedAsync(IAsyncStream<SessionStreamItem> stream, CancellationToken stopping)
    {
        try
        {
            var handles = await stream.GetAllSubscriptionHandles().WaitAsync(CheckInterval, stopping);
            if (handles.Count == 0)
            {
                await stream.SubscribeAsync(OnItem).WaitAsync(CheckInterval, stopping);
                LogSubscribed(stream.StreamId.ToString());
            }
            else if (handles.Count > 1)
            {
                // Two subscriptions would deliver every item twice (the duplicates would be dropped, at a cost).
                foreach (var extra in handles.Skip(1))
                {
                    await extra.UnsubscribeAsync();
                }
            }

            return true;
        }
        catch (Exception exception) when (!stopping.IsCancellationRequested)
        {
            LogSubscriptionFailed(stream.StreamId.ToString(), exception.Message);
            return false;
        }
    }

    private Task OnItem(SessionStreamItem item, StreamSequenceToken? token)
    {
        if (_sessions.TryGetValue(item.SessionId, out var receiver))
        {
            receiver.OnItem(item);
        }
        else
        {
            GatewayMetrics.NotificationForClosedSession();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Removes this gateway's subscriptions, all streams at once and within <see cref="CheckInterval"/>
    /// in all: a slow cluster must not hold the gateway's stop.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var provider = cluster.GetStreamProvider(GrainKeys.NotificationStreamProvider);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, settings.StreamsPerGateway).Select(async partition =>
            {
                var stream = provider.GetStream<SessionStreamItem>(StreamId.Create(GrainKeys.NotificationStreamNamespace, GrainKeys.NotificationStream(gateway.Id, partition)));
                foreach (var handle in await stream.GetAllSubscriptionHandles())
                {
                    await handle.UnsubscribeAsync();
                }
            })).WaitAsync(CheckInterval, cancellationToken);
        }
        catch (Exception exception)
        {
            // The cluster may already be gone; its record of a stopped gateway is then left behind.
            LogUnsubscribeFailed(exception.Message);
        }
    }

    private sealed class Registration(GatewayNotifications owner, Guid sessionId) : IDisposable
    {
        public void Dispose() => owner._sessions.TryRemove(sessionId, out _);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed to notification stream {Stream}")]
    private partial void LogSubscribed(string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check or make the subscription to notification stream {Stream}: {Reason}; retrying")]
    private partial void LogSubscriptionFailed(string stream, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe from this gateway's notification streams at shutdown: {Reason}")]
    private partial void LogUnsubscribeFailed(string reason);
}
