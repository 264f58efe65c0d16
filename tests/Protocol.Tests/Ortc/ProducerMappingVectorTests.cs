using System.Text.Json.Nodes;
using Coordinator.Protocol.Ortc;
using Xunit;

namespace Coordinator.Protocol.Tests.Ortc;

public sealed class ProducerMappingVectorTests
{
    private const string PeerRejectionPrefix = "wrong RTP parameters: ";

    public static TheoryData<string> Cases => OrtcVectors.CaseNames(OrtcVectors.ProducerMappingFile);

    [Fact]
    public void Every_case_is_loaded()
    {
        Assert.Equal(46, Cases.Count);
        Assert.Equal(15, OrtcVectors.Cases(OrtcVectors.ProducerMappingFile).Count(OrtcVectors.IsError));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_reference(string name)
    {
        var @case = OrtcVectors.Case(OrtcVectors.ProducerMappingFile, name);
        var input = @case["input"]!.AsObject();
        var inputBefore = input.ToJsonString();
        var room = input["roomCapabilities"]!.AsObject();
        var parameters = OrtcVectors.Argument(input, "producerRtpParameters");

        if (OrtcVectors.IsError(@case))
        {
            Assert.Equal("mapping", @case["errorStage"]!.GetValue<string>());
            var error = Assert.Throws<MediasoupError>(() => ProducerRtpMapping.Compute(parameters, room));
            OrtcVectors.AssertMatchesError(@case, error);
            AssertPeerRejection(@case, ProducerRtpMapping.WrongRtpParameters(error));
        }
        else
        {
            var mapping = ProducerRtpMapping.Compute(parameters, room);
            var consumable = ConsumableRtpParameters.Compute(parameters, room, mapping);
            var output = @case["output"]!;

            JsonAssert.Equal(output["mapCodecPayloadTypes"], ProducerRtpMapping.PairsJson(mapping.CodecPayloadTypes));
            JsonAssert.Equal(output["mapHeaderExtensionIds"], ProducerRtpMapping.PairsJson(mapping.HeaderExtensionIds));
            JsonAssert.Equal(output["consumableRtpParameters"], consumable);
            JsonAssert.Equal(
                new JsonObject
                {
                    ["codecPayloadTypes"] = output["mapCodecPayloadTypes"]!.DeepClone(),
                    ["headerExtensionIds"] = output["mapHeaderExtensionIds"]!.DeepClone(),
                },
                mapping.ToWorkerJson());
            JsonAssert.SharesNoNodes(input, consumable);
        }

        Assert.Equal(inputBefore, input.ToJsonString());
    }

    private static void AssertPeerRejection(JsonObject @case, MediasoupError rejection)
    {
        var expected = @case["peerRejection"]!.GetValue<string>();
        Assert.Equal(ErrorClass.Error, rejection.Class);
        if (@case["errorKind"]!.GetValue<string>() == "explicit")
        {
            Assert.Equal(expected, rejection.Message);
        }
        else
        {
            // Runtime texts are V8's; the wrapper and the inner class still have to agree.
            var expectedPrefix = PeerRejectionPrefix + @case["errorType"]!.GetValue<string>() + ": ";
            Assert.StartsWith(expectedPrefix, expected);
            Assert.StartsWith(expectedPrefix, rejection.Message);
        }
    }
}
