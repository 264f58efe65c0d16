using Coordinator.Protocol.Ortc;
using Xunit;

namespace Coordinator.Protocol.Tests.Ortc;

public sealed class CapabilitiesSubsetVectorTests
{
    public static TheoryData<string> Cases => OrtcVectors.CaseNames(OrtcVectors.CapabilitiesSubsetFile);

    [Fact]
    public void Every_case_is_loaded()
    {
        Assert.Equal(38, Cases.Count);
        Assert.Equal(22, OrtcVectors.Cases(OrtcVectors.CapabilitiesSubsetFile).Count(OrtcVectors.IsError));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_reference(string name)
    {
        var @case = OrtcVectors.Case(OrtcVectors.CapabilitiesSubsetFile, name);
        var input = @case["input"]!.AsObject();
        var inputBefore = input.ToJsonString();
        var room = input["roomCapabilities"]!.AsObject();
        var peer = OrtcVectors.Argument(input, "peerCapabilities");

        if (OrtcVectors.IsError(@case))
        {
            var error = Assert.Throws<MediasoupError>(() => CapabilitiesSubset.Assert(peer, room));
            OrtcVectors.AssertMatchesError(@case, error);
        }
        else
        {
            Assert.True(@case["output"]!["ok"]!.GetValue<bool>());
            CapabilitiesSubset.Assert(peer, room);
        }

        Assert.Equal(inputBefore, input.ToJsonString());
    }
}
