using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Rooms;

namespace Coordinator.Grains.Tests;

/// <summary>Members with identical join capabilities share one parsed copy per silo, for as long as one of them holds it.</summary>
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
        GC.KeepAlive(first);
    }

    [Fact]
    public void A_text_is_dropped_once_no_member_holds_its_copy()
    {
        var shared = new SharedCapabilities();
        var kept = shared.Acquire(Json("""{"codecs":[{"name":"opus"}]}"""));
        AcquireAndDrop(shared, """{"codecs":[]}""");

        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.Equal(1, shared.Count);
        Assert.Same(kept, shared.Acquire(Json("""{"codecs":[{"name":"opus"}]}""")));
    }

    [Fact]
    public void A_shared_copy_is_built_whole_so_that_rooms_on_other_threads_only_read_it()
    {
        const string Text = """{"codecs":[{"name":"opus","parameters":{"useinbandfec":1}}],"headerExtensions":[]}""";
        var shared = new SharedCapabilities();
        ReadDeepest(shared.Acquire(Json(Text.Replace("opus", "warm-up")))!);

        // A parsed node builds its children on first read (a write); a shared copy has none left to build.
        var built = shared.Acquire(Json(Text))!;
        var before = GC.GetAllocatedBytesForCurrentThread();
        ReadDeepest(built);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        var parsed = JsonNode.Parse(Text)!;
        before = GC.GetAllocatedBytesForCurrentThread();
        ReadDeepest(parsed);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() > before, "a freshly parsed node should build its children when read");
    }

    private static void ReadDeepest(JsonNode node) => Assert.NotNull(node["codecs"]![0]!["parameters"]!["useinbandfec"]);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AcquireAndDrop(SharedCapabilities shared, string text) => Assert.NotNull(shared.Acquire(Json(text)));
}
