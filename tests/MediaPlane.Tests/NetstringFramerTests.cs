using System.Text;
using Coordinator.Silo.Workers;
using Xunit;

namespace Coordinator.MediaPlane.Tests;

public class NetstringFramerTests
{
    [Fact]
    public void Encodes_length_colon_payload_comma()
    {
        Assert.Equal("31:{\"id\":1,\"method\":\"worker.dump\"},", Encoding.ASCII.GetString(NetstringFramer.Encode("{\"id\":1,\"method\":\"worker.dump\"}")));
        Assert.Equal("0:,", Encoding.ASCII.GetString(NetstringFramer.Encode(string.Empty)));
    }

    [Fact]
    public void Length_counts_utf8_bytes_not_characters()
    {
        var frame = NetstringFramer.Encode("é€");
        Assert.Equal("5:"u8.ToArray(), frame[..2]);
        Assert.Equal(2 + 5 + 1, frame.Length);
    }

    [Fact]
    public void Accepts_exactly_the_limit_and_refuses_one_byte_more_before_sending()
    {
        var atLimit = NetstringFramer.Encode(new byte[NetstringFramer.MaxPayloadBytes]);
        Assert.Equal("65536:"u8.ToArray(), atLimit[..6]);

        var error = Assert.Throws<RequestTooBigException>(() => NetstringFramer.Encode(new byte[65537]));
        Assert.Equal("request too big (65537 bytes > 65536)", error.Message);
    }

    [Fact]
    public void Decodes_a_frame_split_into_single_bytes()
    {
        var decoder = new NetstringDecoder();
        var frames = new List<byte[]>();
        foreach (var b in "12:hello world!,"u8.ToArray())
        {
            decoder.Feed([b], frames);
        }

        Assert.Equal("hello world!", Encoding.ASCII.GetString(Assert.Single(frames)));
        Assert.True(decoder.IsAtFrameBoundary);
    }

    [Fact]
    public void Decodes_concatenated_frames_and_keeps_a_partial_one()
    {
        var decoder = new NetstringDecoder();
        var frames = new List<byte[]>();
        decoder.Feed("3:abc,0:,5:hel"u8, frames);
        Assert.Equal(["abc", string.Empty], frames.Select(f => Encoding.ASCII.GetString(f)));
        Assert.False(decoder.IsAtFrameBoundary);

        frames.Clear();
        decoder.Feed("lo,1:x,"u8, frames);
        Assert.Equal(["hello", "x"], frames.Select(f => Encoding.ASCII.GetString(f)));
    }

    [Fact]
    public void Decodes_a_maximum_size_frame_split_anywhere()
    {
        var payload = Enumerable.Range(0, NetstringFramer.MaxPayloadBytes).Select(i => (byte)i).ToArray();
        var stream = NetstringFramer.Encode(payload).Concat(NetstringFramer.Encode("{}")).ToArray();
        var decoder = new NetstringDecoder();
        var frames = new List<byte[]>();
        for (var offset = 0; offset < stream.Length; offset += 4093)
        {
            decoder.Feed(stream.AsSpan(offset, Math.Min(4093, stream.Length - offset)), frames);
        }

        Assert.Equal(2, frames.Count);
        Assert.Equal(payload, frames[0]);
        Assert.Equal("{}", Encoding.ASCII.GetString(frames[1]));
    }

    [Theory]
    [InlineData("05:hello,", "leading zero")]
    [InlineData("x3:abc,", "does not start with a length")]
    [InlineData(":abc,", "no length")]
    [InlineData("3;abc,", "not followed by ':'")]
    [InlineData("3:abcX", "not followed by ','")]
    public void Rejects_bad_frames(string input, string expected)
    {
        var decoder = new NetstringDecoder();
        var error = Assert.Throws<NetstringFormatException>(() => decoder.Feed(Encoding.ASCII.GetBytes(input), new List<byte[]>()));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);

        // No resynchronisation: the decoder stays broken.
        Assert.Throws<InvalidOperationException>(() => decoder.Feed("1:x,"u8, new List<byte[]>()));
    }

    [Fact]
    public void Rejects_a_length_of_more_than_9_digits()
    {
        var decoder = new NetstringDecoder(maxPayloadBytes: int.MaxValue);
        var error = Assert.Throws<NetstringFormatException>(() => decoder.Feed("1000000000:"u8, new List<byte[]>()));
        Assert.Contains("more than 9 digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_oversized_frame_from_its_header_without_buffering_it()
    {
        var decoder = new NetstringDecoder();
        var error = Assert.Throws<NetstringFormatException>(() => decoder.Feed("65537:"u8, new List<byte[]>()));
        Assert.Contains("too big", error.Message, StringComparison.Ordinal);

        var small = new NetstringDecoder(maxPayloadBytes: 10);
        Assert.Throws<NetstringFormatException>(() => small.Feed("11"u8, new List<byte[]>()));
    }

    [Fact]
    public void Frames_decoded_before_a_bad_one_are_delivered()
    {
        var decoder = new NetstringDecoder();
        var frames = new List<byte[]>();
        Assert.Throws<NetstringFormatException>(() => decoder.Feed("1:a,1:b,xx"u8, frames));
        Assert.Equal(["a", "b"], frames.Select(f => Encoding.ASCII.GetString(f)));
    }
}
