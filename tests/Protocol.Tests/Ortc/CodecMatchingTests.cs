using System.Text.Json.Nodes;
using Coordinator.Protocol.Ortc;
using Xunit;

namespace Coordinator.Protocol.Tests.Ortc;

public sealed class CodecMatchingTests
{
    [Theory]
    [InlineData("""{"packetization-mode":1}""", """{"packetization-mode":1}""", true)]
    [InlineData("""{"packetization-mode":1}""", """{"packetization-mode":1.0}""", true)]
    [InlineData("""{"packetization-mode":1}""", """{"packetization-mode":"1"}""", false)]
    [InlineData("""{"packetization-mode":0}""", """{}""", true)]
    [InlineData("""{"packetization-mode":null}""", """{"packetization-mode":0}""", true)]
    [InlineData("""{"packetization-mode":false}""", """{"packetization-mode":""}""", true)]
    [InlineData("""{"packetization-mode":"0"}""", """{"packetization-mode":0}""", false)]
    [InlineData("""{"packetization-mode":1,"profile-level-id":"42e01f"}""", """{"packetization-mode":1,"profile-level-id":"640032"}""", true)]
    public void H264_compares_packetization_mode_or_zero_strictly(string left, string right, bool match)
    {
        var a = Codec($$"""{"name":"H264","clockRate":90000,"parameters":{{left}}}""");
        var b = Codec($$"""{"kind":"video","name":"h264","clockRate":90000,"parameters":{{right}}}""");

        Assert.Equal(match, CodecMatching.MatchCodecs(a, b));
    }

    [Theory]
    [InlineData("", "", true)]
    [InlineData("", ",\"channels\":1", true)]
    [InlineData("", ",\"channels\":2", false)]
    [InlineData(",\"channels\":2", ",\"channels\":2", true)]
    [InlineData(",\"channels\":\"2\"", ",\"channels\":2", false)]
    [InlineData(",\"channels\":1", ",\"channels\":1", true)]
    public void Audio_channels_must_agree_unless_both_are_absent_or_one(string left, string right, bool match)
    {
        var producer = Codec($$"""{"name":"opus","clockRate":48000{{left}}}""");
        var room = Codec($$"""{"kind":"audio","name":"opus","clockRate":48000{{right}}}""");

        Assert.Equal(match, CodecMatching.MatchCodecs(producer, room));
    }

    [Fact]
    public void Channels_are_ignored_when_neither_side_is_audio()
    {
        Assert.True(CodecMatching.MatchCodecs(
            Codec("""{"name":"VP8","clockRate":90000,"channels":2}"""),
            Codec("""{"kind":"video","name":"VP8","clockRate":90000}""")));
    }

    [Theory]
    [InlineData("audio", "audio", true)]
    [InlineData("audio", "video", false)]
    [InlineData("Audio", "audio", false)]
    [InlineData("", "video", true)]
    public void Kinds_compare_only_when_both_are_set(string left, string right, bool match)
    {
        var a = Codec($$"""{"kind":"{{left}}","name":"PCMU","clockRate":8000}""");
        var b = Codec($$"""{"kind":"{{right}}","name":"pcmu","clockRate":8000}""");

        Assert.Equal(match, CodecMatching.MatchCodecs(a, b));
    }

    [Theory]
    [InlineData("\u0130SAC", "ISAC", false)] // İ: "i̇" in JS; .NET's invariant casing leaves it alone
    [InlineData("SIL\u212A", "SILK", true)] // the Kelvin sign lower-cases to "k" in both
    [InlineData("vp8", "VP8", true)]
    public void Names_compare_in_javascript_lower_case(string left, string right, bool match)
    {
        var a = Codec($$"""{"name":"{{left}}","clockRate":32000}""");
        var b = Codec($$"""{"name":"{{right}}","clockRate":32000}""");

        Assert.Equal(match, CodecMatching.MatchCodecs(a, b));
    }

    [Fact]
    public void Clock_rates_compare_strictly()
    {
        Assert.False(CodecMatching.MatchCodecs(
            Codec("""{"name":"VP8","clockRate":"90000"}"""), Codec("""{"name":"VP8","clockRate":90000}""")));
    }

    [Theory]
    [InlineData("""{"clockRate":90000}""", "TypeError: Cannot read properties of undefined (reading 'toLowerCase')")]
    [InlineData("""{"name":null}""", "TypeError: Cannot read properties of null (reading 'toLowerCase')")]
    [InlineData("""{"name":7}""", "TypeError: aCodec.name.toLowerCase is not a function")]
    public void A_codec_without_a_string_name_is_a_type_error(string json, string reason)
    {
        var error = Assert.Throws<MediasoupError>(() => CodecMatching.MatchCodecs(Codec(json), Codec("""{"name":"VP8"}""")));

        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void A_non_string_name_is_reported_under_the_name_matchCodecs_gives_its_argument()
    {
        var error = Assert.Throws<MediasoupError>(() => CodecMatching.MatchCodecs(Codec("""{"name":"VP8"}"""), Codec("""{"name":[]}""")));

        Assert.Equal("TypeError: bCodec.name.toLowerCase is not a function", error.Reason);
    }

    [Theory]
    [InlineData("""{"uri":"u"}""", """{"kind":"audio","uri":"u"}""", true)]
    [InlineData("""{"kind":"video","uri":"u"}""", """{"kind":"audio","uri":"u"}""", false)]
    [InlineData("""{"kind":"","uri":"u"}""", """{"kind":"audio","uri":"u"}""", true)]
    [InlineData("""{"uri":"u"}""", """{"uri":"U"}""", false)]
    [InlineData("""{}""", """{}""", true)]
    public void Header_extensions_match_on_uri_and_kind_when_both_are_set(string left, string right, bool match)
    {
        Assert.Equal(match, CodecMatching.MatchHeaderExtensions(Codec(left), Codec(right)));
    }

    private static JsValue Codec(string json) => JsValue.From(JsonNode.Parse(json));
}
