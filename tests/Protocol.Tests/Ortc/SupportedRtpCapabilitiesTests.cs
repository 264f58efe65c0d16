using System.Text.Json.Nodes;
using Coordinator.Protocol.Ortc;
using Xunit;

namespace Coordinator.Protocol.Tests.Ortc;

public sealed class SupportedRtpCapabilitiesTests
{
    private static JsonObject Reference => OrtcVectors.File(OrtcVectors.SupportedCapabilitiesFile);

    [Fact]
    public void Table_equals_the_reference_table()
    {
        var reference = Reference["supportedRtpCapabilities"]!;
        var table = SupportedRtpCapabilities.Create();

        JsonAssert.Equal(reference["codecs"], table["codecs"]);
        JsonAssert.Equal(reference["headerExtensions"], table["headerExtensions"]);
        JsonAssert.Equal(reference["fecMechanisms"], table["fecMechanisms"]);
        JsonAssert.Equal(reference, table);
        Assert.Equal(24, table["codecs"]!.AsArray().Count);
    }

    [Fact]
    public void Dynamic_payload_types_equal_the_reference_order()
    {
        var actual = new JsonArray([.. SupportedRtpCapabilities.DynamicPayloadTypes.Select(pt => (JsonNode)pt)]);

        JsonAssert.Equal(Reference["dynamicPayloadTypes"], actual);
        Assert.Equal(88, SupportedRtpCapabilities.DynamicPayloadTypes.Length);
    }

    [Fact]
    public void Each_call_returns_an_independent_copy()
    {
        var first = SupportedRtpCapabilities.Create();
        first["codecs"]!.AsArray().Clear();

        Assert.Equal(24, SupportedRtpCapabilities.Create()["codecs"]!.AsArray().Count);
    }
}
