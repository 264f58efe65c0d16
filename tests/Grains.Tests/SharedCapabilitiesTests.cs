using System.Text.Json;
using Coordinator.Grains.Rooms.Model;

namespace Coordinator.Grains.Tests;

/// <summary>Members with identical join capabilities share one parsed copy, for as long as one of them stays.</summary>
public sealed class SharedCapabilitiesTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void Identical_texts_share_one_node_and_different_ones_do_not()
    {
        var shared = new SharedCapabilities();
        var first = shared.Acquire(Json("""{"codecs":[{"name":"opus"}]}"""));
        var second = shared.Acquire(Json("""{"codecs":[{"name":"opus"}]}"""));
        var other = shared.Acquire(Json("""{"codecs":[{"name":"VP8"}]}"""));

        Assert.Same(first, second);
        Assert.NotSame(first, other);
        Assert.Equal("VP8", other!["codecs"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(2, shared.Count);
    }

    [Fact]
    public void A_text_is_dropped_when_its_last_member_leaves()
    {
        var shared = new SharedCapabilities();
        var first = shared.Acquire(Json("""{"codecs":[]}"""));
        shared.Acquire(Json("""{"codecs":[]}"""));

        shared.Release(first);
        Assert.Equal(1, shared.Count);
        shared.Release(first);
        Assert.Equal(0, shared.Count);
        Assert.NotSame(first, shared.Acquire(Json("""{"codecs":[]}""")));
    }
}
