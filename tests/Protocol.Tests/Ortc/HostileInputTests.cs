using System.Text.Json.Nodes;
using Coordinator.Protocol.Ortc;
using Xunit;

namespace Coordinator.Protocol.Tests.Ortc;

/// <summary>
/// Clients control most of these inputs. Whatever they send, the ORTC functions must either
/// answer or throw a <see cref="MediasoupError"/>; a framework exception would be a server bug.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly JsonObject Room = RoomCapabilities.Generate(JsonNode.Parse("""
        [{"kind":"audio","name":"opus","clockRate":48000,"channels":2},
         {"kind":"video","name":"VP8","clockRate":90000},
         {"kind":"video","name":"H264","clockRate":90000,"parameters":{"packetization-mode":1}}]
        """));

    // The functions never mutate their inputs, so one consumable serves every mutation run.
    private static readonly JsonObject SharedVideoConsumable = VideoConsumable();

    [Theory]
    [InlineData("5")]
    [InlineData("\"opus\"")]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("[\"opus\"]")]
    [InlineData("[[]]")]
    [InlineData("[null]")]
    [InlineData("""[{"kind":1,"name":"opus","clockRate":48000}]""")]
    [InlineData("""[{"kind":"audio","name":["opus"],"clockRate":48000}]""")]
    [InlineData("""[{"kind":"audio","name":"opus","clockRate":[48000]}]""")]
    [InlineData("""[{"kind":"audio","name":"opus","clockRate":true}]""")]
    public void Room_config_of_the_wrong_shape_is_a_type_error(string json)
    {
        var error = Assert.Throws<MediasoupError>(() => RoomCapabilities.Generate(JsonNode.Parse(json)));

        Assert.Equal(ErrorClass.TypeError, error.Class);
    }

    [Theory]
    [InlineData("""[{"kind":"audio","name":"opus","clockRate":48000,"channels":2,"kind":"video"}]""")]
    [InlineData("""[{"kind":"audio","name":"opus","clockRate":48000,"channels":2,"parameters":{"a":1,"a":2}}]""")]
    public void Duplicate_keys_are_a_type_error_rather_than_a_framework_exception(string json)
    {
        // JsonNode only notices duplicate keys when an object is first read; JS would keep the last.
        var error = Assert.Throws<MediasoupError>(() => RoomCapabilities.Generate(JsonNode.Parse(json)));

        Assert.Equal(ErrorClass.TypeError, error.Class);
        Assert.StartsWith(JsGuard.FailurePrefix, error.Message);
    }

    [Theory]
    [InlineData("\"xy\"", """{"0":"x","1":"y"}""")]
    [InlineData("[7,null]", """{"0":7,"1":null}""")]
    [InlineData("5", "{}")]
    [InlineData("null", "{}")]
    [InlineData("""{"__proto__":{"a":1},"b":2}""", """{"b":2}""")]
    public void Room_codec_parameters_merge_like_object_assign(string parameters, string expected)
    {
        var room = RoomCapabilities.Generate(JsonNode.Parse(
            $$"""[{"kind":"audio","name":"opus","clockRate":48000,"channels":2,"parameters":{{parameters}}}]"""));

        JsonAssert.Equal(JsonNode.Parse(expected), room["codecs"]![0]!["parameters"]);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("5")]
    [InlineData("[]")]
    [InlineData("""{"codecs":{}}""")]
    [InlineData("""{"codecs":5}""")]
    [InlineData("""{"codecs":[null]}""")]
    [InlineData("""{"codecs":[{"name":5,"preferredPayloadType":100}]}""")]
    [InlineData("""{"codecs":[{"name":{"toString":1},"preferredPayloadType":55}]}""")]
    [InlineData("""{"codecs":[],"headerExtensions":5}""")]
    [InlineData("""{"codecs":[],"headerExtensions":{"a":1}}""")]
    [InlineData("""{"codecs":[],"headerExtensions":[null]}""")]
    public void Join_capabilities_of_the_wrong_shape_are_a_type_error(string json)
    {
        var error = Assert.Throws<MediasoupError>(() => CapabilitiesSubset.Assert(JsonNode.Parse(json), Room));

        Assert.Equal(ErrorClass.TypeError, error.Class);
    }

    [Theory]
    [InlineData("""{"codecs":[7]}""", "unsupported codec [name:undefined, preferredPayloadType:undefined]")]
    [InlineData("""{"codecs":"abc"}""", "unsupported codec [name:undefined, preferredPayloadType:undefined]")]
    [InlineData("""{"codecs":[{"name":["a",1],"preferredPayloadType":[1,2]}]}""", "unsupported codec [name:a,1, preferredPayloadType:1,2]")]
    [InlineData("""{"codecs":[],"headerExtensions":"x"}""", "unsupported header extension [kind:undefined, uri:undefined]")]
    [InlineData("""{"codecs":[],"headerExtensions":[{"uri":{},"kind":1.5e300,"preferredId":1}]}""", "unsupported header extension [kind:1.5e+300, uri:[object Object]]")]
    public void Join_rejections_print_values_as_javascript_does(string json, string message)
    {
        var error = Assert.Throws<MediasoupError>(() => CapabilitiesSubset.Assert(JsonNode.Parse(json), Room));

        Assert.Equal(ErrorClass.Error, error.Class);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Numbers_beyond_double_range_are_output_as_null_as_json_stringify_writes_infinity()
    {
        // JS parses 1e400 as Infinity and JSON.stringify writes that as null; large integers keep their text.
        var room = RoomCapabilities.Generate(JsonNode.Parse("""
            [{"kind":"video","name":"VP8","clockRate":90000,"parameters":{"x":1e400,"y":[-1e400],"z":12345678901234567890}}]
            """));
        var parameters = JsonNode.Parse("""
            {"codecs":[{"name":"VP8","clockRate":90000,"payloadType":1e400}],"rtcp":{"cname":"c","x":1e400},"encodings":[{"ssrc":1e400}]}
            """);
        var mapping = ProducerRtpMapping.Compute(parameters, room);
        var consumable = ConsumableRtpParameters.Compute(parameters, room, mapping);
        var consumer = ConsumerRtpParameters.Compute(consumable, JsonNode.Parse("""{"codecs":[],"headerExtensions":[]}"""), () => 12345678);

        JsonAssert.Equal(JsonNode.Parse("""{"x":null,"y":[null],"z":12345678901234567890}"""), room["codecs"]![0]!["parameters"]);
        JsonAssert.Equal(JsonNode.Parse("""[[null,100]]"""), mapping.ToWorkerJson()["codecPayloadTypes"]);
        JsonAssert.Equal(JsonNode.Parse("""{"cname":"c","x":null}"""), consumable["rtcp"]);
        JsonAssert.Equal(JsonNode.Parse("""[{"ssrc":null}]"""), consumable["encodings"]);
        JsonAssert.Equal(JsonNode.Parse("""{"cname":"c","x":null}"""), consumer["rtcp"]);
    }

    [Fact]
    public void A_non_string_codec_name_is_reported_under_the_variable_the_reference_reads_it_from()
    {
        // V8 quotes the expression: `capCodec.name.toLowerCase is not a function`, and so on.
        var room = JsonNode.Parse("""{"codecs":[{"name":"VP8","clockRate":90000,"preferredPayloadType":100},{"name":5}],"headerExtensions":[]}""")!.AsObject();
        var vp8 = JsonNode.Parse("""{"codecs":[{"name":"VP8","clockRate":90000,"payloadType":96}]}""");
        var vp8WithRtx = JsonNode.Parse("""
            {"codecs":[{"name":"VP8","clockRate":90000,"payloadType":96},{"name":"rtx","payloadType":97,"parameters":{"apt":96}}]}
            """);

        Assert.Equal("TypeError: codec.name.toLowerCase is not a function",
            Assert.Throws<MediasoupError>(() => ProducerRtpMapping.Compute(JsonNode.Parse("""{"codecs":[{"name":7}]}"""), Room)).Reason);
        Assert.Equal("TypeError: capCodec.name.toLowerCase is not a function",
            Assert.Throws<MediasoupError>(() => ProducerRtpMapping.Compute(vp8WithRtx, room)).Reason);
        Assert.Equal("TypeError: capRtxCodec.name.toLowerCase is not a function",
            Assert.Throws<MediasoupError>(() => ConsumableRtpParameters.Compute(vp8, room, ProducerRtpMapping.Compute(vp8, room))).Reason);
        Assert.Equal("TypeError: aCodec.name.toLowerCase is not a function",
            Assert.Throws<MediasoupError>(() => CapabilitiesSubset.Assert(JsonNode.Parse("""{"codecs":[{"name":7,"preferredPayloadType":100}]}"""), room)).Reason);
        Assert.Equal("TypeError: codec.name.toLowerCase is not a function",
            Assert.Throws<MediasoupError>(() => ConsumerRtpParameters.Compute(
                JsonNode.Parse("""{"codecs":[{"name":7,"payloadType":1}],"headerExtensions":[]}""")!.AsObject(),
                JsonNode.Parse("""{"codecs":[{"preferredPayloadType":1}]}"""))).Reason);
    }

    [Theory]
    [InlineData("1", "number 1")]
    [InlineData("1.5e300", "number 1.5e+300")]
    [InlineData("true", "boolean true")]
    [InlineData("""{"uri":"x"}""", "object")]
    public void Header_extensions_that_cannot_be_iterated_are_named_by_type_and_value_as_v8_does(string extensions, string described)
    {
        // `for (const ext of params.headerExtensions || [])`: V8 cannot name an `||` receiver.
        var expected = $"TypeError: {described} is not iterable (cannot read property Symbol(Symbol.iterator))";
        var parameters = JsonNode.Parse($$"""{"codecs":[],"headerExtensions":{{extensions}}}""");
        var mapping = ProducerRtpMapping.Compute(JsonNode.Parse("""{"codecs":[]}"""), Room);

        Assert.Equal(expected, Assert.Throws<MediasoupError>(() => CapabilitiesSubset.Assert(parameters, Room)).Reason);
        Assert.Equal(expected, Assert.Throws<MediasoupError>(() => ProducerRtpMapping.Compute(parameters, Room)).Reason);
        Assert.Equal(expected, Assert.Throws<MediasoupError>(() => ConsumableRtpParameters.Compute(parameters, Room, mapping)).Reason);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("5")]
    [InlineData("{}")]
    [InlineData("""{"codecs":null}""")]
    [InlineData("""{"codecs":"VP8"}""")]
    [InlineData("""{"codecs":[5]}""")]
    [InlineData("""{"codecs":[[]]}""")]
    [InlineData("""{"codecs":[{"name":"rtx","payloadType":97,"parameters":null}]}""")]
    [InlineData("""{"codecs":[{"name":{"a":1}}]}""")]
    [InlineData("""{"codecs":[],"headerExtensions":[null]}""")]
    [InlineData("""{"codecs":[],"headerExtensions":{"uri":"x"}}""")]
    [InlineData("""{"codecs":[],"headerExtensions":7}""")]
    public void Producer_parameters_of_the_wrong_shape_are_a_type_error(string json)
    {
        var error = Assert.Throws<MediasoupError>(() => ProducerRtpMapping.Compute(JsonNode.Parse(json), Room));

        Assert.Equal(ErrorClass.TypeError, error.Class);
    }

    [Fact]
    public void Producer_parameters_with_odd_but_valid_values_follow_javascript()
    {
        // An object payload type is a Map key by identity, so the consumable still finds it.
        var parameters = JsonNode.Parse("""
            {"codecs":[{"name":"VP8","clockRate":90000,"payloadType":{"odd":true}}],
             "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:toffset","id":"14"}],
             "encodings":null,"rtcp":[]}
            """);

        var mapping = ProducerRtpMapping.Compute(parameters, Room);
        var consumable = ConsumableRtpParameters.Compute(parameters, Room, mapping);

        JsonAssert.Equal(
            JsonNode.Parse("""{"codecPayloadTypes":[[{"odd":true},101]],"headerExtensionIds":[["14",2]]}"""),
            mapping.ToWorkerJson());
        JsonAssert.Equal(JsonNode.Parse("""[{"uri":"urn:ietf:params:rtp-hdrext:toffset","id":2}]"""), consumable["headerExtensions"]);
        Assert.Equal(101, consumable["codecs"]![0]!["payloadType"]!.GetValue<int>());
        Assert.True(consumable.ContainsKey("encodings"));
        Assert.Null(consumable["encodings"]);
        JsonAssert.Equal(new JsonArray(), consumable["rtcp"]);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("5")]
    [InlineData("{}")]
    [InlineData("""{"codecs":5,"headerExtensions":[]}""")]
    [InlineData("""{"codecs":"abc","headerExtensions":[]}""")]
    [InlineData("""{"codecs":[null],"headerExtensions":[]}""")]
    [InlineData("""{"codecs":[],"headerExtensions":"x"}""")]
    [InlineData("""{"codecs":[],"headerExtensions":[null]}""")]
    [InlineData("""{"codecs":[],"headerExtensions":{"0":{"preferredId":2}}}""")]
    public void Consumer_peer_capabilities_of_the_wrong_shape_are_a_type_error(string json)
    {
        var consumable = VideoConsumable();

        var error = Assert.Throws<MediasoupError>(() => ConsumerRtpParameters.Compute(consumable, JsonNode.Parse(json)));

        Assert.Equal(ErrorClass.TypeError, error.Class);
    }

    [Theory]
    [InlineData("""{"headerExtensions":[]}""")]
    [InlineData("""{"codecs":null,"headerExtensions":[]}""")]
    [InlineData("""{"codecs":"ab","headerExtensions":[]}""")]
    [InlineData("""{"codecs":{"0":{}},"headerExtensions":[]}""")]
    public void Consumer_of_a_consumable_without_a_codec_array_fails_as_the_reference_does(string consumable)
    {
        // The reference iterates utils.cloneObject(codecs): {} for non-objects, a copy for objects.
        var error = Assert.Throws<MediasoupError>(() => ConsumerRtpParameters.Compute(
            JsonNode.Parse(consumable)!.AsObject(), JsonNode.Parse("""{"codecs":[],"headerExtensions":[]}""")));

        Assert.Equal("TypeError: consumableCodecs is not iterable", error.Reason);
    }

    [Fact]
    public void Consumer_reads_every_extension_uri_before_the_peer_extensions()
    {
        // The reference chains filter(uri is not mid).filter(peer has the id): the null entry fails
        // the first pass before the absent peer list is ever read.
        var consumable = JsonNode.Parse("""{"codecs":[],"headerExtensions":[{"uri":"u","id":1},null]}""")!.AsObject();

        var error = Assert.Throws<MediasoupError>(() => ConsumerRtpParameters.Compute(consumable, JsonNode.Parse("""{"codecs":[]}""")));

        Assert.Equal("TypeError: Cannot read properties of null (reading 'uri')", error.Reason);
    }

    [Fact]
    public void Consumer_matches_the_json_copy_of_the_consumable_codecs()
    {
        // utils.cloneObject goes through JSON: 1e400 (Infinity) is null by the time it is read.
        var consumable = JsonNode.Parse("""{"codecs":[1e400],"headerExtensions":[]}""")!.AsObject();

        var error = Assert.Throws<MediasoupError>(() => ConsumerRtpParameters.Compute(
            consumable, JsonNode.Parse("""{"codecs":[{"preferredPayloadType":1}],"headerExtensions":[]}""")));

        Assert.Equal("TypeError: Cannot read properties of null (reading 'payloadType')", error.Reason);
    }

    [Fact]
    public void Consumer_keeps_a_matched_primitive_or_array_codec_as_it_is()
    {
        // Sloppy-mode JS: `codec.rtcpFeedback = …` is lost on a primitive and invisible in an array's JSON.
        var consumable = JsonNode.Parse("""{"codecs":[{"name":"rtx","payloadType":97},5,[1,2],"x"],"headerExtensions":[]}""")!.AsObject();
        var peer = JsonNode.Parse("""{"codecs":[{"preferredPayloadType":97,"rtcpFeedback":[]},{"rtcpFeedback":[{"type":"nack"}]}],"headerExtensions":[]}""");

        var consumer = ConsumerRtpParameters.Compute(consumable, peer, () => 12345678);

        JsonAssert.Equal(JsonNode.Parse("""[{"name":"rtx","payloadType":97,"rtcpFeedback":[]},5,[1,2],"x"]"""), consumer["codecs"]);
    }

    [Fact]
    public void Consumer_copies_a_peer_rtcp_feedback_of_any_type()
    {
        var peer = JsonNode.Parse("""{"codecs":[{"preferredPayloadType":101,"rtcpFeedback":"odd"}],"headerExtensions":[]}""");

        var consumer = ConsumerRtpParameters.Compute(VideoConsumable(), peer, () => 12345678);

        JsonAssert.Equal(
            JsonNode.Parse("""[{"name":"VP8","mimeType":"video/VP8","clockRate":90000,"payloadType":101,"rtcpFeedback":"odd","parameters":{}}]"""),
            consumer["codecs"]);
        JsonAssert.Equal(JsonNode.Parse("""[{"ssrc":12345678}]"""), consumer["encodings"]);
    }

    [Fact]
    public void Every_single_mutation_of_every_vector_input_is_answered_or_rejected_cleanly()
    {
        var checkedInputs = 0;
        foreach (var (file, clientPart, run) in EntryPoints())
        {
            foreach (var @case in OrtcVectors.Cases(file))
            {
                var clientInput = clientPart is null ? @case["input"] : @case["input"]![clientPart];
                checkedInputs += JsonMutations.ForEach(clientInput, mutated =>
                {
                    var thrown = Record.Exception(() => run(mutated));
                    // The guard's conversion is for the unforeseen; the fuzz must never need it.
                    if (thrown is not null and not MediasoupError
                        || thrown is MediasoupError error && error.Message.StartsWith(JsGuard.FailurePrefix, StringComparison.Ordinal))
                    {
                        Assert.Fail($"{file} / {@case["name"]}: {thrown}\ninput: {mutated?.ToJsonString()}");
                    }
                });
            }
        }

        Assert.True(checkedInputs > 10_000, $"only {checkedInputs} mutated inputs were checked");
    }

    /// <summary>Each entry point with the part of its vector input that a client controls.</summary>
    private static IEnumerable<(string File, string? ClientPart, Action<JsonNode?> Run)> EntryPoints()
    {
        yield return (OrtcVectors.RoomCapabilitiesFile, null, config => RoomCapabilities.Generate(config));
        yield return (OrtcVectors.CapabilitiesSubsetFile, "peerCapabilities", peer => CapabilitiesSubset.Assert(peer, Room));
        yield return (OrtcVectors.ProducerMappingFile, "producerRtpParameters", MapAndRestate);
        yield return (OrtcVectors.ConsumerParametersFile, "peerRtpCapabilities", peer =>
            ConsumerRtpParameters.Compute(SharedVideoConsumable, peer));
    }

    private static void MapAndRestate(JsonNode? parameters)
    {
        var mapping = ProducerRtpMapping.Compute(parameters, Room);
        _ = ConsumableRtpParameters.Compute(parameters, Room, mapping);
    }

    private static JsonObject VideoConsumable()
    {
        var parameters = JsonNode.Parse("""
            {"codecs":[{"name":"VP8","mimeType":"video/VP8","clockRate":90000,"payloadType":96},
                       {"name":"rtx","mimeType":"video/rtx","clockRate":90000,"payloadType":97,"parameters":{"apt":96}}],
             "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:toffset","id":14}],
             "encodings":[{"ssrc":1111,"rtx":{"ssrc":2222}}],"rtcp":{"cname":"c"}}
            """);
        return ConsumableRtpParameters.Compute(parameters, Room, ProducerRtpMapping.Compute(parameters, Room));
    }
}
