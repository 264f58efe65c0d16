using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Coordinator.Protocol.Ortc;
using CsCheck;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Coordinator.Protocol.Tests.Differential;

/// <summary>One driver process for the whole class; started on first use so a missing node or lib fails each test with its message.</summary>
public sealed class ReferenceOrtcFixture : IDisposable
{
    private readonly Lazy<ReferenceOrtc> reference = new(ReferenceOrtc.Start);

    public ReferenceOrtc Reference => reference.Value;

    public void Dispose()
    {
        if (reference.IsValueCreated)
        {
            reference.Value.Dispose();
        }
    }
}

/// <summary>
/// Differential test of our ORTC port (src/Protocol/Ortc) against mediasoup 2.6.19's own
/// lib/ortc.js: generated inputs (<see cref="OrtcCases"/>) go to both, and the results must be
/// equal as JSON, or the errors equal by JS class and message (and, for a producer, by the step
/// that threw). A mismatch fails with the smallest failing input CsCheck found, both answers and
/// the seed that reproduces it (set CsCheck_Seed). Needs node and the lib that
/// scripts/build-worker.sh keeps beside the worker; without them the tests fail, saying so.
/// </summary>
/// <remarks>
/// Cases per test are fixed below (about 15 s for the class on two busy cores);
/// <c>COORDINATOR_ORTC_DIFF_SCALE=10</c> multiplies them for a deeper search.
/// </remarks>
public sealed partial class OrtcDifferentialTests(ReferenceOrtcFixture fixture, ITestOutputHelper output) : IClassFixture<ReferenceOrtcFixture>
{
    public const int RoomCases = 3000;
    public const int JoinCases = 5000;
    public const int ProducerCases = 6000;
    public const int ConsumerCases = 3000;
    public const int CorruptConsumableCases = 3000;

    private const string MappingStage = "getProducerRtpParametersMapping";
    private const string ConsumableStage = "getConsumableRtpParameters";

    private readonly Dictionary<string, int> outcomes = [];

    private ReferenceOrtc Reference => fixture.Reference;

    [Fact]
    public void Room_capabilities_match_the_reference() =>
        Run(OrtcCases.Rooms, RoomCases, @case => Expect(
            Reference.Call("generateRoomRtpCapabilities", @case.MediaCodecs),
            Outcomes.Ours("generateRoomRtpCapabilities", () => RoomCapabilities.Generate(Outcomes.Argument(@case.MediaCodecs)))));

    [Fact]
    public void Join_capability_checks_match_the_reference() =>
        Run(OrtcCases.Joins, JoinCases, @case => Expect(
            Reference.Call("assertCapabilitiesSubset", @case.Peer, @case.Room),
            Outcomes.Ours("assertCapabilitiesSubset", () =>
            {
                CapabilitiesSubset.Assert(Outcomes.Argument(@case.Peer), Parse(@case.Room));
                return null;
            })));

    [Fact]
    public void Producer_mapping_and_consumable_parameters_match_the_reference() =>
        Run(OrtcCases.Producers, ProducerCases, @case => Expect(
            Reference.Call("produce", @case.Parameters, @case.Room),
            Produce(Outcomes.Argument(@case.Parameters), Parse(@case.Room), out _)));

    [Fact]
    public void Consumer_parameters_match_the_reference() =>
        Run(OrtcCases.Consumers, ConsumerCases, @case =>
        {
            // As the servers do it: each side's own consumable for the producer, then each side's consumer.
            var room = Parse(@case.Room);
            var referenceProducer = Reference.Call("produce", @case.Producer, @case.Room);
            var ourProducer = Produce(Outcomes.Argument(@case.Producer), room, out var ourConsumable);
            Expect(referenceProducer, ourProducer);
            if (!referenceProducer.Ok)
            {
                return;
            }

            var referenceConsumable = referenceProducer.Result!["consumableRtpParameters"]!.ToJsonString();
            Expect(
                Reference.Call("getConsumerRtpParameters", referenceConsumable, @case.Peer),
                Outcomes.Ours("getConsumerRtpParameters", () =>
                    ConsumerRtpParameters.Compute(ourConsumable!, Outcomes.Argument(@case.Peer), Outcomes.SsrcCounter())));
        });

    [Fact]
    public void Consumer_parameters_of_corrupt_consumables_match_the_reference() =>
        Run(OrtcCases.CorruptConsumables, CorruptConsumableCases, @case => Expect(
            Reference.Call("getConsumerRtpParameters", @case.Consumable, @case.Peer),
            Outcomes.Ours("getConsumerRtpParameters", () =>
                ConsumerRtpParameters.Compute(Parse(@case.Consumable!), Outcomes.Argument(@case.Peer), Outcomes.SsrcCounter()))));

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>Our createProducer steps, reported the way the driver's <c>produce</c> op reports them.</summary>
    private static ReferenceAnswer Produce(JsValue parameters, JsonObject room, out JsonObject? consumable)
    {
        consumable = null;
        ProducerRtpMapping? mapping = null;
        var mapped = Outcomes.Ours(MappingStage, () =>
        {
            mapping = ProducerRtpMapping.Compute(parameters, room);
            return null;
        });
        if (!mapped.Ok)
        {
            return mapped;
        }

        JsonObject? computed = null;
        var answer = Outcomes.Ours(ConsumableStage, () =>
        {
            computed = ConsumableRtpParameters.Compute(parameters, room, mapping!);
            return new JsonObject
            {
                ["rtpMapping"] = mapping!.ToWorkerJson(),
                ["consumableRtpParameters"] = computed.DeepClone(),
            };
        });
        consumable = computed;
        return answer;
    }

    private void Expect(ReferenceAnswer reference, ReferenceAnswer ours)
    {
        if (Outcomes.Difference(reference, ours) is { } difference)
        {
            // CsCheck prints the (smallest failing) input above this message.
            throw new XunitException($"our ORTC differs from mediasoup 2.6.19's: {difference}\nreference: {reference}\nours:      {ours}");
        }

        var outcome = reference.Ok ? "answered" : $"{reference.Stage} threw {reference.ErrorName}: {Digits().Replace(reference.ErrorMessage!.Split('[')[0], "#")}";
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
    }

    private void Run<T>(Gen<T> cases, int count, Action<T> check)
    {
        var scale = int.TryParse(Environment.GetEnvironmentVariable("COORDINATOR_ORTC_DIFF_SCALE"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 1;
        _ = Reference; // start the driver (or fail with how to install it) before sampling
        var started = DateTime.UtcNow;
        // One thread: the cases share one driver process.
        cases.Sample(check, iter: (long)count * scale, threads: 1, print: value => value?.ToString() ?? "null");

        // What the cases exercised, so a generator that stops reaching a path shows here.
        output.WriteLine($"{count * scale} cases in {(DateTime.UtcNow - started).TotalSeconds:0.0} s; the reference's outcomes:");
        foreach (var (outcome, times) in outcomes.OrderByDescending(pair => pair.Value).Take(25))
        {
            output.WriteLine($"{times,7}  {outcome}");
        }
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
