using Coordinator.Protocol.Ortc;
using Xunit;

namespace Coordinator.Protocol.Tests.Ortc;

public sealed class RoomCapabilitiesVectorTests
{
    public static TheoryData<string> Cases => OrtcVectors.CaseNames(OrtcVectors.RoomCapabilitiesFile);

    [Fact]
    public void Every_case_is_loaded()
    {
        Assert.Equal(59, Cases.Count);
        Assert.Equal(31, OrtcVectors.Cases(OrtcVectors.RoomCapabilitiesFile).Count(OrtcVectors.IsError));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_reference(string name)
    {
        var @case = OrtcVectors.Case(OrtcVectors.RoomCapabilitiesFile, name);
        var input = @case["input"];
        var inputBefore = input?.ToJsonString();

        if (OrtcVectors.IsError(@case))
        {
            var error = Assert.Throws<MediasoupError>(() => RoomCapabilities.Generate(input));
            OrtcVectors.AssertMatchesError(@case, error);
        }
        else
        {
            var output = RoomCapabilities.Generate(input);
            JsonAssert.Equal(@case["output"], output);
            JsonAssert.SharesNoNodes(input, output);
        }

        Assert.Equal(inputBefore, input?.ToJsonString());
    }
}
