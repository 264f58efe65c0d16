using System.Text;
using Coordinator.Protocol.Protoo;

namespace Coordinator.Protocol.Tests.Protoo;

/// <summary>Which frames <see cref="ProtooMessage.Parse"/> refuses for text no .NET string can hold.</summary>
public sealed class ProtooMessageTests
{
    private const int MaxDepth = 64;

    [Theory]
    [InlineData("""{"request":true,"id":1,"method":"m","data":{"name":"plain"}}""")]
    [InlineData("""{"request":true,"id":1,"method":"m","data":{"name":"caf\u00e9 \ud83d\ude00"}}""")]
    [InlineData("""{"request":true,"id":1,"method":"m","data":{"\u00e9t\u00e9":1}}""")]
    [InlineData("""{"request":true,"id":1,"method":"m","data":{"path":"C:\\users\\ud800"}}""")]
    public void A_request_whose_strings_are_valid_text_is_a_request(string frame)
    {
        var message = ProtooMessage.Parse(Encoding.UTF8.GetBytes(frame), MaxDepth, out var problem);

        var request = Assert.IsType<ProtooRequest>(message);
        Assert.Null(problem);
        Assert.Equal("m", request.Method);
    }

    [Theory]
    [InlineData("""{"request":true,"id":7,"method":"m","data":{"name":"\ud800"}}""")]
    [InlineData("""{"request":true,"id":7,"method":"m","data":{"\uDC00":1}}""")]
    [InlineData("""{"request":true,"id":7,"method":"m","data":{"list":["ok","x\ud83d"]}}""")]
    public void A_request_with_a_lone_surrogate_gets_an_error_answer(string frame)
    {
        var message = ProtooMessage.Parse(Encoding.UTF8.GetBytes(frame), MaxDepth, out _);

        var invalid = Assert.IsType<ProtooInvalidRequest>(message);
        Assert.Equal(7, invalid.Id.GetInt32());
        Assert.Contains("lone surrogate", invalid.Reason);
    }

    [Fact]
    public void A_request_with_bytes_that_are_not_UTF_8_inside_a_string_gets_an_error_answer()
    {
        // The JSON parser accepts these bytes (0xED 0xA0 0x80 encodes a surrogate, which UTF-8
        // forbids); reading the string would throw later.
        byte[] frame = [.. """{"request":true,"id":8,"method":"m","data":{"name":"""u8, (byte)'"', 0xED, 0xA0, 0x80, .. "\"}}"u8];

        var message = ProtooMessage.Parse(frame, MaxDepth, out _);

        var invalid = Assert.IsType<ProtooInvalidRequest>(message);
        Assert.Equal(8, invalid.Id.GetInt32());
    }

    [Fact]
    public void A_notification_with_a_lone_surrogate_is_dropped_with_a_problem()
    {
        var message = ProtooMessage.Parse("""{"notification":true,"method":"m","data":{"name":"\ud800x"}}"""u8.ToArray(), MaxDepth, out var problem);

        Assert.Null(message);
        Assert.Contains("lone surrogate", problem);
    }
}
