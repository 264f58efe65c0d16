using System.Reflection;
using System.Text.Json;
using Coordinator.Grains.Interfaces.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Coordinator.Grains.Tests;

/// <summary>How JSON values are copied for grain calls inside one process (the serializer as every silo and client configures it).</summary>
public sealed class JsonElementCopyTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddCoordinatorJson())
        .BuildServiceProvider();

    private DeepCopier Copier => _services.GetRequiredService<DeepCopier>();

    [Fact]
    public void An_element_of_a_cloned_document_is_passed_on_without_being_written_and_parsed_again()
    {
        var element = JsonDocument.Parse("""{"method":"join","appData":{"a":[1,2]}}""").RootElement.Clone();

        var copy = Copier.Copy(element);

        Assert.Same(DocumentOf(element), DocumentOf(copy));
    }

    [Fact]
    public void An_element_of_a_disposable_document_is_copied_and_outlives_it()
    {
        JsonElement copy;
        using (var document = JsonDocument.Parse("""{"a":{"b":"c"}}"""))
        {
            copy = Copier.Copy(document.RootElement.GetProperty("a"));
        }

        Assert.Equal("""{"b":"c"}""", copy.GetRawText());
    }

    [Fact]
    public void Elements_inside_arrays_use_it_too()
    {
        // As the Room hands a batch of notifications to a peer's grain.
        var notification = JsonDocument.Parse("""{"method":"newPeer"}""").RootElement.Clone();

        var copy = Copier.Copy(new[] { notification });

        Assert.Same(DocumentOf(notification), DocumentOf(Assert.Single(copy)));
    }

    [Fact]
    public void An_absent_element_stays_absent() =>
        Assert.Equal(JsonValueKind.Undefined, Copier.Copy(default(JsonElement)).ValueKind);

    [Fact]
    public void The_copier_is_the_registered_one() =>
        Assert.IsType<JsonElementCopier>(_services.GetRequiredService<Orleans.Serialization.Serializers.ICodecProvider>().GetDeepCopier<JsonElement>());

    public void Dispose() => _services.Dispose();

    private static object DocumentOf(JsonElement element) =>
        typeof(JsonElement).GetField("_parent", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(element)!;
}
