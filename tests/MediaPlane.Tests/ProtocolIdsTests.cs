using System.Text.Json;
using Coordinator.Silo.Media;

namespace Coordinator.MediaPlane.Tests;

/// <summary>Worker ids in dumps and stats become protocol ids; everything else is written back as it was.</summary>
public sealed class ProtocolIdsTests
{
    [Fact]
    public void Stats_map_transport_ids_and_leave_the_rest()
    {
        var stats = Json("""
            [{"type":"transport","id":7,"bytesReceived":10},
             {"type":"outbound-rtp","id":7,"transportId":7,"ssrc":1},
             {"type":"inbound-rtp","transportId":99},
             5]
            """);
        var mapped = ProtocolIds.InStats(stats, new Dictionary<uint, uint> { [7] = 42 });
        Assert.Equal(
            """[{"type":"transport","id":42,"bytesReceived":10},{"type":"outbound-rtp","id":7,"transportId":42,"ssrc":1},{"type":"inbound-rtp","transportId":99},5]""",
            mapped.GetRawText());

        var plain = Json("{}");
        Assert.Equal("{}", ProtocolIds.InStats(plain, new Dictionary<uint, uint> { [7] = 42 }).GetRawText());
    }

    [Fact]
    public void Dumps_get_protocol_ids_in_place_and_in_the_rtp_listener()
    {
        var dump = Json("""
            {"transportId":3,"rtpListener":{"ssrcTable":{"111":"8","222":"9"},"muxIdTable":{},"ridTable":{"r":8,"q":"no"},"other":"8"},"x":[1,"8"]}
            """);
        var mapped = ProtocolIds.InDump(dump, [("transportId", 35)], new Dictionary<uint, uint> { [8] = 88 });
        Assert.Equal(
            """{"transportId":35,"rtpListener":{"ssrcTable":{"111":88,"222":"9"},"muxIdTable":{},"ridTable":{"r":88,"q":"no"},"other":"8"},"x":[1,"8"]}""",
            mapped.GetRawText());
    }

    [Fact]
    public void A_dump_without_an_id_property_gets_it_at_the_end()
    {
        var dump = Json("""{"consumerId":4,"kind":"audio"}""");
        var mapped = ProtocolIds.InDump(dump, [("consumerId", 40), ("sourceProducerId", 5)], new Dictionary<uint, uint>());
        Assert.Equal("""{"consumerId":40,"kind":"audio","sourceProducerId":5}""", mapped.GetRawText());
    }

    private static JsonElement Json(string text) => JsonElement.Parse(text);
}
