using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Coordinator.Silo.Streams;

/// <summary>
/// The pub-sub store of the notification streams. Orleans keeps a stream's pub-sub record as long as
/// the pulling agent that delivered its items is registered as its producer, and a running agent never
/// unregisters (dotnet/orleans#7793). With one stream per session, every session would leave its
/// record behind for good: memory in the embedded node, a Redis key in a cluster. A notification stream
/// has exactly one subscriber, its gateway connection, and is never subscribed again once that
/// unsubscribed; so a record without consumers is finished, and this store deletes it instead of
/// writing it.
/// </summary>
internal sealed partial class NotificationPubSubStorage(IGrainStorage inner, ILogger<NotificationPubSubStorage> logger) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        switch (ConsumerSet<T>.HasAny(grainState.State))
        {
            case false:
                return inner.ClearStateAsync(stateName, grainId, grainState);
            case null:
                LogUnknownState(typeof(T).FullName);
                return inner.WriteStateAsync(stateName, grainId, grainState);
            default:
                return inner.WriteStateAsync(stateName, grainId, grainState);
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pub-sub state {Type} has no Consumers set: written unchanged, finished streams are not released")]
    private partial void LogUnknownState(string? type);

    /// <summary>Reads Orleans' internal pub-sub state (its <c>Consumers</c> set), once per state type.</summary>
    private static class ConsumerSet<T>
    {
        private static readonly PropertyInfo? Consumers = typeof(T).GetProperty("Consumers", BindingFlags.Public | BindingFlags.Instance);

        /// <summary>Whether the state lists a consumer; null when the state has no such set.</summary>
        public static bool? HasAny(T? state) =>
            state is null ? false
            : Consumers?.GetValue(state) is IEnumerable consumers ? consumers.GetEnumerator().MoveNext()
            : null;
    }
}
