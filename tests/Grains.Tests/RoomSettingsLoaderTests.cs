using System.Text.Json;
using Coordinator.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace Coordinator.Grains.Tests;

public sealed class RoomSettingsLoaderTests
{
    [Fact]
    public void The_default_codecs_keep_their_JSON_types()
    {
        var settings = RoomSettingsLoader.Load(Configuration([]));

        var h264 = settings.RtpCapabilities.GetProperty("codecs").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "H264");
        Assert.Equal(JsonValueKind.Number, h264.GetProperty("parameters").GetProperty("packetization-mode").ValueKind);
        Assert.Equal("42e01f", h264.GetProperty("parameters").GetProperty("profile-level-id").GetString());
        Assert.Equal(TimeSpan.FromSeconds(5), settings.EmptyRoomGracePeriod);
    }

    [Fact]
    public void Configured_codecs_are_read_as_JSON_text()
    {
        var settings = RoomSettingsLoader.Load(Configuration(new()
        {
            ["Rooms:MediaCodecs"] = """[{"kind":"audio","name":"opus","clockRate":48000,"channels":2},{"kind":"video","name":"H264","clockRate":90000,"parameters":{"packetization-mode":1,"x-google-flag":"1"}}]""",
            ["Rooms:EmptyRoomGracePeriod"] = "00:00:00",
        }));

        var codecs = settings.RtpCapabilities.GetProperty("codecs").EnumerateArray().ToArray();
        Assert.Equal(["opus", "H264", "rtx"], codecs.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Number, codecs[1].GetProperty("parameters").GetProperty("packetization-mode").ValueKind);
        Assert.Equal(JsonValueKind.String, codecs[1].GetProperty("parameters").GetProperty("x-google-flag").ValueKind);
        Assert.Equal(TimeSpan.Zero, settings.EmptyRoomGracePeriod);
    }

    [Theory]
    [InlineData("""[{"kind":"audio","name":"foo","clockRate":8000}]""", "RoomMediaCodec not supported [name:foo]")]
    [InlineData("""[]""", "mediaCodecs cannot be empty")]
    [InlineData("""[{"kind":"video","name":"H264","clockRate":90000,"parameters":{"packetization-mode":"1"}}]""", "RoomMediaCodec not supported [name:H264]")]
    [InlineData("""not json""", "not valid JSON")]
    public void Invalid_codecs_stop_the_node_with_the_reason(string codecs, string reason)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RoomSettingsLoader.Load(Configuration(new() { ["Rooms:MediaCodecs"] = codecs })));

        Assert.Contains(reason, error.Message);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
