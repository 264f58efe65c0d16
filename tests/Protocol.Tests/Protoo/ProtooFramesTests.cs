using System.Text;
using System.Text.Json;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Protocol.Tests.Protoo;

/// <summary>The frames the server writes, byte for byte where the reference's serialisation shows.</summary>
public sealed class ProtooFramesTests
{
    [Theory]
    [InlineData("7", "7")]
    [InlineData("1.0", "1")]
    [InlineData("1E2", "100")]
    [InlineData("-0", "0")]
    [InlineData("0.5", "0.5")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e400", "null")]
    public void A_response_echoes_the_request_id_as_the_number_JavaScript_parsed(string sent, string echoed)
    {
        var id = JsonDocument.Parse(sent).RootElement;

        var success = Encoding.UTF8.GetString(ProtooFrames.Success(id, null));
        var error = Encoding.UTF8.GetString(ProtooFrames.Error(id, 500, "Error: x"));

        Assert.Equal($$$"""{"response":true,"id":{{{echoed}}},"ok":true,"data":{}}""", success);
        Assert.Equal($$"""{"response":true,"id":{{echoed}},"errorCode":500,"errorReason":"Error: x"}""", error);
    }
}
