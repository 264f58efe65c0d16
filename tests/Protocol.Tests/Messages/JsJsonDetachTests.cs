using System.Reflection;
using System.Text.Json;
using Coordinator.Protocol.Messages;
using Xunit;

namespace Coordinator.Protocol.Tests.Messages;

public sealed class JsJsonDetachTests
{
    [Fact]
    public void A_detached_value_has_the_same_text_and_a_document_of_its_own()
    {
        // As an element arrives in a grain call: from an already cloned (non-disposable) document.
        var message = JsonDocument.Parse("""{"method":"join","rtpCapabilities":{"codecs":[1,2,3]},"appData":{"n":[1,"x",null]}}""").RootElement.Clone();
        var appData = message.GetProperty("appData");

        var detached = JsJson.Detach(appData);

        Assert.NotNull(detached);
        Assert.Equal(appData.GetRawText(), detached.Value.GetRawText());
        Assert.NotSame(DocumentOf(appData), DocumentOf(detached.Value));
        Assert.Equal(appData.GetRawText().Length, detached.Value.GetRawText().Length);
    }

    [Fact]
    public void Clone_alone_would_keep_the_whole_message()
    {
        // Why Detach exists: this is the behaviour it works around. If the runtime changes it, Detach may go.
        var message = JsonDocument.Parse("""{"appData":{"a":1}}""").RootElement.Clone();
        var appData = message.GetProperty("appData");

        Assert.Same(DocumentOf(appData), DocumentOf(appData.Clone()));
    }

    [Fact]
    public void Absent_stays_absent() => Assert.Null(JsJson.Detach(null));

    private static object DocumentOf(JsonElement element) =>
        typeof(JsonElement).GetField("_parent", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(element)!;
}
