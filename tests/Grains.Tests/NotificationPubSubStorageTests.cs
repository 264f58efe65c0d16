using System.Collections;
using Coordinator.Silo.Streams;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Orleans.Streams;

namespace Coordinator.Grains.Tests;

/// <summary>
/// The notification streams' pub-sub store deletes a record once it lists no consumer, and keeps
/// it otherwise; checked with Orleans' own (internal) pub-sub state type, so an Orleans upgrade that
/// changes it fails here.
/// </summary>
public sealed class NotificationPubSubStorageTests
{
    private static readonly Type PubSubState = Type.GetType("Orleans.Streams.PubSubGrainState, Orleans.Streaming", throwOnError: true)!;

    [Fact]
    public async Task A_record_with_a_consumer_is_written()
    {
        var (inner, storage) = Store();
        var state = NewState(withConsumer: true);

        await WriteAsync(storage, state);

        Assert.Equal(["write"], inner.Calls);
    }

    [Fact]
    public async Task A_record_without_consumers_is_deleted_even_with_producers_left()
    {
        var (inner, storage) = Store();
        var state = NewState(withConsumer: false);
        AddTo(state, "Producers", Activator.CreateInstance(SetElementType("Producers"), Stream, GrainId.Create("agent", "1"))!);

        await WriteAsync(storage, state);

        Assert.Equal(["clear"], inner.Calls);
    }

    [Fact]
    public void The_collection_age_names_orleans_pub_sub_grain_class()
    {
        var grainClass = Type.GetType($"{Silo.Hosting.CoordinatorSilo.PubSubGrainClass}, Orleans.Streaming");
        Assert.NotNull(grainClass);
        Assert.True(typeof(Grain).IsAssignableFrom(grainClass));
    }

    private static (RecordingStorage Inner, NotificationPubSubStorage Storage) Store()
    {
        var inner = new RecordingStorage();
        return (inner, new NotificationPubSubStorage(inner, NullLogger<NotificationPubSubStorage>.Instance));
    }

    private static object NewState(bool withConsumer)
    {
        var state = Activator.CreateInstance(PubSubState)!;
        if (withConsumer)
        {
            AddTo(state, "Consumers", new PubSubSubscriptionState(GuidId.GetNewGuidId(), Stream, GrainId.Create("gateway", "1")));
        }

        return state;
    }

    private static readonly QualifiedStreamId Stream = new("Notifications", StreamId.Create("peer-session", "room/peer/1"));

    private static Type SetElementType(string set) => PubSubState.GetProperty(set)!.PropertyType.GetGenericArguments()[0];

    private static void AddTo(object state, string set, object element)
    {
        var collection = PubSubState.GetProperty(set)!.GetValue(state)!;
        collection.GetType().GetMethod("Add")!.Invoke(collection, [element]);
        Assert.NotEmpty((IEnumerable)collection);
    }

    private static Task WriteAsync(IGrainStorage storage, object state)
    {
        var grainState = Activator.CreateInstance(typeof(GrainState<>).MakeGenericType(PubSubState), state)!;
        var write = typeof(IGrainStorage).GetMethods()
            .Single(method => method.Name == nameof(IGrainStorage.WriteStateAsync) && method.GetParameters().Length == 3)
            .MakeGenericMethod(PubSubState);
        return (Task)write.Invoke(storage, ["PubSubRendezvousGrain", GrainId.Create("pubsubrendezvous", "Notifications/test"), grainState])!;
    }

    private sealed class RecordingStorage : IGrainStorage
    {
        public List<string> Calls { get; } = [];

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Record("read");

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Record("write");

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Record("clear");

        private Task Record(string call)
        {
            Calls.Add(call);
            return Task.CompletedTask;
        }
    }
}
