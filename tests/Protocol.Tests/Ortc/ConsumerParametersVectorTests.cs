using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Protocol.Ortc;
using Xunit;

namespace Coordinator.Protocol.Tests.Ortc;

public sealed class ConsumerParametersVectorTests
{
    private const string AnySsrc = "<any-ssrc>";

    public static TheoryData<string> Cases => OrtcVectors.CaseNames(OrtcVectors.ConsumerParametersFile);

    [Fact]
    public void Every_case_is_loaded()
    {
        Assert.Equal(37, Cases.Count);
        Assert.Equal(3, OrtcVectors.Cases(OrtcVectors.ConsumerParametersFile).Count(OrtcVectors.IsError));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_reference(string name)
    {
        var @case = OrtcVectors.Case(OrtcVectors.ConsumerParametersFile, name);
        var input = @case["input"]!.AsObject();
        var inputBefore = input.ToJsonString();
        var consumable = input["consumableRtpParameters"]!.AsObject();
        var peer = OrtcVectors.Argument(input, "peerRtpCapabilities");

        if (OrtcVectors.IsError(@case))
        {
            var error = Assert.Throws<MediasoupError>(() => ConsumerRtpParameters.Compute(consumable, peer));
            OrtcVectors.AssertMatchesError(@case, error);
        }
        else
        {
            var output = ConsumerRtpParameters.Compute(consumable, peer);
            JsonAssert.Equal(@case["output"], MaskRandomSsrcs(output));
            JsonAssert.SharesNoNodes(input, output);
        }

        Assert.Equal(inputBefore, input.ToJsonString());
    }

    [Fact]
    public void The_ssrc_generator_is_called_for_the_media_ssrc_then_the_rtx_ssrc()
    {
        var @case = OrtcVectors.Case(OrtcVectors.ConsumerParametersFile, "real video consumable, real Chromium peer");
        var input = @case["input"]!.AsObject();
        var next = 11111110L;

        var output = ConsumerRtpParameters.Compute(
            input["consumableRtpParameters"]!.AsObject(), input["peerRtpCapabilities"], () => ++next);

        JsonAssert.Equal(JsonNode.Parse("""[{"ssrc":11111111,"rtx":{"ssrc":11111112}}]"""), output["encodings"]);
    }

    /// <summary>
    /// Checks the rules of tests/data/README.md for random SSRCs (one encoding; integers in range; rtx exactly when
    /// a kept codec is rtx) and returns a copy with them replaced by the vector placeholder.
    /// </summary>
    private static JsonObject MaskRandomSsrcs(JsonObject output)
    {
        var masked = output.DeepClone().AsObject();
        var encodings = masked["encodings"]!.AsArray();
        Assert.Single(encodings);
        var encoding = encodings[0]!.AsObject();

        MaskSsrc(encoding);
        var keptRtx = masked["codecs"]!.AsArray()
            .Any(codec => string.Equals(codec?["name"]?.GetValue<string>(), "rtx", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(keptRtx, encoding.ContainsKey("rtx"));
        if (keptRtx)
        {
            MaskSsrc(encoding["rtx"]!.AsObject());
        }

        return masked;
    }

    private static void MaskSsrc(JsonObject holder)
    {
        var ssrc = holder["ssrc"]!;
        Assert.Equal(JsonValueKind.Number, ssrc.GetValueKind());
        Assert.True(ssrc.AsValue().TryGetValue<long>(out var value), $"ssrc {ssrc} is not an integer");
        Assert.InRange(value, 10_000_000L, 99_999_999L);
        holder["ssrc"] = AnySsrc;
    }
}
