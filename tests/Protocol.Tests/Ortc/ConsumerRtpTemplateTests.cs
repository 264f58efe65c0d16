using Coordinator.Protocol.Messages;
using Coordinator.Protocol.Ortc;
using Xunit;

namespace Coordinator.Protocol.Tests.Ortc;

/// <summary>
/// A consumer made from a producer's template is, byte for byte, what computing its parameters
/// afresh gives, for every vector of the reference; only the SSRCs differ between consumers.
/// </summary>
public sealed class ConsumerRtpTemplateTests
{
    public static TheoryData<string> Cases => ConsumerParametersVectorTests.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_instance_is_the_same_text_as_a_fresh_computation(string name)
    {
        var @case = OrtcVectors.Case(OrtcVectors.ConsumerParametersFile, name);
        var input = @case["input"]!.AsObject();
        var consumable = input["consumableRtpParameters"]!.AsObject();
        var peer = OrtcVectors.Argument(input, "peerRtpCapabilities");

        if (OrtcVectors.IsError(@case))
        {
            var fresh = Assert.Throws<MediasoupError>(() => ConsumerRtpParameters.Compute(consumable, peer));
            var templated = Assert.Throws<MediasoupError>(() => ConsumerRtpTemplate.Compute(consumable, peer));
            Assert.Equal(fresh.Message, templated.Message);
            return;
        }

        var template = ConsumerRtpTemplate.Compute(consumable, peer);
        for (var consumer = 0; consumer < 2; consumer++)
        {
            var first = 20_000_000L + (consumer * 10);
            var expected = JsJson.Freeze(ConsumerRtpParameters.Compute(consumable, peer, Counter(first))).GetRawText();
            Assert.Equal(expected, template.Instantiate(Counter(first)).GetRawText());
        }
    }

    [Fact]
    public void Each_instance_draws_its_own_ssrcs()
    {
        var @case = OrtcVectors.Case(OrtcVectors.ConsumerParametersFile, "real video consumable, real Chromium peer");
        var input = @case["input"]!.AsObject();
        var template = ConsumerRtpTemplate.Compute(input["consumableRtpParameters"]!.AsObject(), input["peerRtpCapabilities"]);

        var ssrcs = Enumerable.Range(0, 50)
            .Select(_ => template.Instantiate().GetProperty("encodings")[0].GetProperty("ssrc").GetInt64())
            .ToList();

        Assert.All(ssrcs, ssrc => Assert.InRange(ssrc, ConsumerRtpParameters.MinSsrc, ConsumerRtpParameters.MaxSsrc));
        Assert.True(ssrcs.Distinct().Count() > 45, "SSRCs repeat");
    }

    private static Func<long> Counter(long first)
    {
        var next = first;
        return () => next++;
    }
}
