using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Protocol.Ortc;
using CsCheck;

namespace Coordinator.Protocol.Tests.Differential;

/// <summary>A Room's <c>mediaCodecs</c> config; null stands for undefined.</summary>
public sealed record RoomCase(string? MediaCodecs)
{
    public override string ToString() => $"mediaCodecs: {MediaCodecs ?? "undefined"}";
}

/// <summary>A join: the peer's rtpCapabilities (null: undefined) against the Room's.</summary>
public sealed record JoinCase(string Room, string? Peer)
{
    public override string ToString() => $"peer rtpCapabilities: {Peer ?? "undefined"}\nroom rtpCapabilities: {Room}";
}

/// <summary>A createProducer: the producer's rtpParameters (null: undefined) against the Room's capabilities.</summary>
public sealed record ProducerCase(string Room, string? Parameters)
{
    public override string ToString() => $"producer rtpParameters: {Parameters ?? "undefined"}\nroom rtpCapabilities: {Room}";
}

/// <summary>
/// A consumer: a producer in a Room and a receiving peer. With <see cref="Consumable"/> set, the
/// consumer function is fed that (possibly corrupted) consumable directly instead of the producer's.
/// </summary>
public sealed record ConsumerCase(string Room, string Producer, string? Peer, string? Consumable = null)
{
    public override string ToString() =>
        (Consumable is null ? $"producer rtpParameters: {Producer}" : $"consumableRtpParameters: {Consumable}") +
        $"\npeer rtpCapabilities: {Peer ?? "undefined"}\nroom rtpCapabilities: {Room}";
}

/// <summary>
/// Generators of ORTC inputs: plausible documents built from the Room and the supported codec
/// table, varied the ways real and hostile clients vary them (name case, Unicode look-alikes,
/// unknown codecs, H264 packetization-mode and profile-level-id, RTX with and without apt,
/// duplicate payload types, simulcast encodings, rtcpFeedback, header extensions, numbers as
/// strings, unknown fields), then, for some cases, corrupted at random places with wrong JSON types.
/// </summary>
internal static class OrtcCases
{
    private const string MidUri = "urn:ietf:params:rtp-hdrext:sdes:mid";

    private static readonly JsonArray Supported = SupportedRtpCapabilities.Codecs();

    private static readonly string[] Palette =
    [
        "null", "0", "1", "-1", "1.5", "-0", "96", "100", "101", "12345678901234567890", "1e400", "\"\"", "\"1\"", "\"100\"",
        "\"rtx\"", "\"RTX\"", "\"audio\"", "\"video\"", "\"abc\"", "true", "false", "[]", "[null]", "[1,2]", "[\"a\"]", "{}",
        """{"toString":1}""", """{"a":{"b":[1]}}""",
    ];

    private static readonly string[] UnknownNames = ["AV1", "foo", "", "opus2", "h264 ", " VP8", "red", "ulpfec", "flexfec-03"];

    private static readonly string[] ProfileLevelIds = ["42e01f", "42001f", "42c01f", "4d0032", "640032", "640c1f", "f4001f", "42E01F", "zz"];

    private static readonly string[] UnknownUris =
    [
        "urn:ietf:params:rtp-hdrext:unknown", "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
        "URN:IETF:PARAMS:RTP-HDREXT:TOFFSET", "",
    ];

    public static Gen<RoomCase> Rooms { get; } = new CaseGen<RoomCase>(
        rng => new RoomCase(MediaCodecsText(rng)),
        c => c.MediaCodecs?.Length ?? 0);

    public static Gen<JoinCase> Joins { get; } = new CaseGen<JoinCase>(rng =>
    {
        var room = ValidRoom(rng);
        return new JoinCase(room.ToJsonString(), Maybe(rng, PeerCapabilities(rng, room, hostile: rng.Chance(0.6))));
    }, c => c.Peer?.Length ?? 0);

    public static Gen<ProducerCase> Producers { get; } = new CaseGen<ProducerCase>(rng =>
    {
        var room = ValidRoom(rng);
        return new ProducerCase(room.ToJsonString(), Maybe(rng, ProducerParameters(rng, room, hostile: true)));
    }, c => c.Parameters?.Length ?? 0);

    public static Gen<ConsumerCase> Consumers { get; } = new CaseGen<ConsumerCase>(rng =>
    {
        var room = ValidRoom(rng);
        var producer = ProducerParameters(rng, room, hostile: rng.Chance(0.2));
        return new ConsumerCase(room.ToJsonString(), producer?.ToJsonString() ?? "null", Maybe(rng, PeerCapabilities(rng, room, hostile: rng.Chance(0.3))));
    }, c => c.Producer.Length + (c.Peer?.Length ?? 0));

    /// <summary>
    /// The consumer function alone, fed consumables no Room produces (ours always has codecs and
    /// headerExtensions arrays): the port must agree with the reference function by function.
    /// </summary>
    public static Gen<ConsumerCase> CorruptConsumables { get; } = new CaseGen<ConsumerCase>(rng =>
    {
        var room = ValidRoom(rng);
        var producer = ProducerParameters(rng, room, hostile: false)!;
        var consumable = ConsumableOf(producer, room) ?? new JsonObject { ["codecs"] = new JsonArray(), ["headerExtensions"] = new JsonArray() };
        Corrupt(rng, consumable, rng.Between(1, 3));
        var peer = Maybe(rng, PeerCapabilities(rng, room, hostile: rng.Chance(0.3)));
        return new ConsumerCase(room.ToJsonString(), producer.ToJsonString(), peer, consumable.ToJsonString());
    }, c => c.Consumable!.Length + (c.Peer?.Length ?? 0));

    // --- Room ------------------------------------------------------------------------------------

    private static string? MediaCodecsText(Rng rng)
    {
        switch (rng.Next(40))
        {
            case 0:
                return null; // undefined
            case 1:
                return rng.Pick(Palette);
            case 2:
                return "[]";
            case 3:
            case 4:
                // Around 44 video codecs (two payload types each, with rtx) and a few audio ones, all
                // supported: the 88 dynamic payload types run out for a media codec or for an rtx.
                var many = new JsonArray();
                var count = rng.Between(43, 47);
                for (var i = 0; i < count; i++)
                {
                    many.Add(rng.Chance(0.95)
                        ? JsonNode.Parse(rng.Pick(["""{"kind":"video","name":"VP8","clockRate":90000}""", """{"kind":"video","name":"H265","clockRate":90000}"""]))
                        : JsonNode.Parse("""{"kind":"audio","name":"opus","clockRate":48000,"channels":2}"""));
                }

                return many.ToJsonString();
        }

        var codecs = new JsonArray();
        var length = rng.Between(1, 6);
        for (var i = 0; i < length; i++)
        {
            codecs.Add(RoomCodec(rng, hostile: rng.Chance(0.15)));
        }

        if (rng.Chance(0.25))
        {
            Corrupt(rng, codecs, rng.Between(1, 2));
        }

        return codecs.ToJsonString();
    }

    /// <summary>A Room our code accepts (a config the silo would start with), as parsed capabilities.</summary>
    private static JsonObject ValidRoom(Rng rng)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var codecs = new JsonArray();
            var length = rng.Between(1, 5);
            for (var i = 0; i < length; i++)
            {
                codecs.Add(RoomCodec(rng, hostile: false));
            }

            try
            {
                // Through JSON text, as the silo holds it (RoomSettings parses the generated capabilities).
                return JsonNode.Parse(RoomCapabilities.Generate(codecs).ToJsonString())!.AsObject();
            }
            catch (MediasoupError)
            {
                // e.g. channels 2 on a mono codec: draw again
            }
        }

        return JsonNode.Parse(RoomCapabilities.Generate(JsonNode.Parse("""
            [{"kind":"audio","name":"opus","clockRate":48000,"channels":2},{"kind":"video","name":"VP8","clockRate":90000}]
            """)).ToJsonString())!.AsObject();
    }

    private static JsonNode? RoomCodec(Rng rng, bool hostile)
    {
        if (hostile && rng.Chance(0.15))
        {
            return JsonNode.Parse(rng.Pick(Palette));
        }

        var template = Template(rng);
        var kind = template["kind"]!.GetValue<string>();
        var codec = new JsonObject
        {
            ["kind"] = hostile && rng.Chance(0.2) ? rng.Pick(["video", "audio", "", "depth"]) : kind,
            ["name"] = hostile ? NameVariant(rng, Name(template)) : CaseVariant(rng, Name(template)),
            ["clockRate"] = hostile && rng.Chance(0.2) ? rng.Pick([44100, 90000, 48000, 8000]) : template["clockRate"]!.GetValue<int>(),
        };

        if (kind == "audio")
        {
            var channels = template["channels"]?.GetValue<int>();
            var choice = rng.Next(10);
            if (choice < 6 && channels is { } count)
            {
                codec["channels"] = count;
            }
            else if (choice == 6)
            {
                codec["channels"] = 1;
            }
            else if (choice == 7 && hostile)
            {
                codec["channels"] = rng.Pick([2, 6, 0]);
            }
        }
        else if (rng.Chance(0.05))
        {
            codec["channels"] = rng.Pick([1, 2]); // dropped for video
        }

        if (rng.Chance(0.5))
        {
            codec["parameters"] = CodecParameters(rng, Name(template), template["parameters"]?["packetization-mode"]?.GetValue<int>());
        }
        else if (hostile && rng.Chance(0.1))
        {
            codec["parameters"] = JsonNode.Parse(rng.Pick(["\"xy\"", "[7,null]", "5", "null", """{"__proto__":{"a":1},"b":2}"""]));
        }

        if (rng.Chance(0.1))
        {
            codec["preferredPayloadType"] = rng.Pick([0, 8, 96, 100, 111, 127]); // ignored by the Room
        }

        if (rng.Chance(0.1))
        {
            codec["mimeType"] = $"{kind}/{Name(template)}";
        }

        if (rng.Chance(0.1))
        {
            codec["rtcpFeedback"] = new JsonArray(new JsonObject { ["type"] = "transport-cc" }); // ignored by the Room
        }

        AddUnknownField(rng, codec, 0.1);
        return codec;
    }

    /// <summary>An entry of the supported table; opus, VP8, H264 and VP9 (what deployments configure) half the time.</summary>
    private static JsonObject Template(Rng rng)
    {
        if (rng.Chance(0.5))
        {
            var name = rng.Pick(["opus", "VP8", "H264", "VP9"]);
            return rng.Pick(Supported.Select(c => c!.AsObject()).Where(c => Name(c) == name).ToList());
        }

        return Supported[rng.Next(Supported.Count)]!.AsObject();
    }

    /// <summary>Codec parameters as configs and browsers write them, numbers sometimes as strings.</summary>
    private static JsonObject CodecParameters(Rng rng, string name, int? packetizationMode)
    {
        var parameters = new JsonObject();
        switch (name.ToLowerInvariant())
        {
            case "h264":
                var mode = rng.Next(8);
                if (mode < 5)
                {
                    parameters["packetization-mode"] = packetizationMode ?? rng.Next(2);
                }
                else if (mode == 5)
                {
                    parameters["packetization-mode"] = rng.Pick(["1", "0"]);
                }
                else if (mode == 6)
                {
                    parameters["packetization-mode"] = rng.Pick([0, 1, 2]);
                }

                if (rng.Chance(0.7))
                {
                    parameters["profile-level-id"] = rng.Chance(0.9) ? rng.Pick(ProfileLevelIds) : 0x42e01f;
                }

                if (rng.Chance(0.5))
                {
                    parameters["level-asymmetry-allowed"] = rng.Chance(0.8) ? 1 : "1";
                }

                break;
            case "vp9":
                if (rng.Chance(0.5))
                {
                    parameters["profile-id"] = rng.Chance(0.7) ? rng.Pick([0, 2]) : "2";
                }

                break;
            case "opus":
                if (rng.Chance(0.5))
                {
                    parameters["useinbandfec"] = rng.Chance(0.8) ? 1 : "1";
                }

                if (rng.Chance(0.3))
                {
                    parameters["minptime"] = 10;
                }

                if (rng.Chance(0.2))
                {
                    parameters["sprop-stereo"] = 1;
                }

                break;
            default:
                if (rng.Chance(0.2))
                {
                    parameters["x-google-start-bitrate"] = 1000;
                }

                break;
        }

        AddUnknownField(rng, parameters, 0.05);
        return parameters;
    }

    // --- Peer capabilities -------------------------------------------------------------------------

    private static JsonNode? PeerCapabilities(Rng rng, JsonObject room, bool hostile)
    {
        if (hostile && rng.Chance(0.03))
        {
            return JsonNode.Parse(rng.Pick(Palette));
        }

        var roomCodecs = room["codecs"]!.AsArray();
        var codecs = new JsonArray();
        foreach (var roomCodec in roomCodecs)
        {
            if (!rng.Chance(0.8))
            {
                continue;
            }

            var codec = roomCodec!.DeepClone().AsObject();
            VaryCapabilityCodec(rng, codec, roomCodecs, hostile);
            codecs.Add(codec);
        }

        if (rng.Chance(0.2))
        {
            codecs = new JsonArray([.. rng.Shuffled(codecs.Select(c => c?.DeepClone()))]);
        }

        if (rng.Chance(0.15))
        {
            // A codec the Room does not have, or a second copy of one it has.
            var extra = rng.Chance(0.5) && codecs.Count > 0
                ? codecs[rng.Next(codecs.Count)]!.DeepClone()
                : new JsonObject
                {
                    ["kind"] = rng.Pick(["audio", "video"]),
                    ["name"] = rng.Chance(0.5) ? rng.Pick(UnknownNames) : Name(Supported[rng.Next(Supported.Count)]!.AsObject()),
                    ["preferredPayloadType"] = rng.Between(96, 127),
                    ["clockRate"] = rng.Pick([90000, 48000, 8000]),
                };
            codecs.Insert(rng.Next(codecs.Count + 1), extra);
        }

        var caps = new JsonObject { ["codecs"] = codecs };
        if (!rng.Chance(0.1))
        {
            var extensions = new JsonArray();
            foreach (var roomExtension in room["headerExtensions"]!.AsArray())
            {
                if (rng.Chance(0.7))
                {
                    var extension = roomExtension!.DeepClone().AsObject();
                    VaryCapabilityExtension(rng, extension, hostile);
                    extensions.Add(extension);
                }
            }

            if (hostile && rng.Chance(0.05))
            {
                extensions.Add(new JsonObject { ["kind"] = "video", ["uri"] = rng.Pick(UnknownUris), ["preferredId"] = rng.Between(1, 14) });
            }

            caps["headerExtensions"] = extensions;
        }

        if (rng.Chance(0.8))
        {
            caps["fecMechanisms"] = new JsonArray();
        }

        AddUnknownField(rng, caps, 0.05);
        if (hostile && rng.Chance(0.3))
        {
            Corrupt(rng, caps, rng.Between(1, 2));
        }

        return caps;
    }

    private static void VaryCapabilityCodec(Rng rng, JsonObject codec, JsonArray roomCodecs, bool hostile)
    {
        if (rng.Chance(0.15))
        {
            codec["name"] = hostile ? NameVariant(rng, Name(codec)) : CaseVariant(rng, Name(codec));
        }

        if (rng.Chance(hostile ? 0.08 : 0.02))
        {
            codec["preferredPayloadType"] = rng.Next(4) switch
            {
                0 => codec["preferredPayloadType"]!.GetValue<int>() + 1,
                1 => codec["preferredPayloadType"]!.ToJsonString(), // the number as a string
                2 => roomCodecs[rng.Next(roomCodecs.Count)]!["preferredPayloadType"]!.DeepClone(),
                _ => null,
            };
            if (codec["preferredPayloadType"] is null && rng.Chance(0.5))
            {
                codec.Remove("preferredPayloadType");
            }
        }

        if (rng.Chance(0.08))
        {
            if (rng.Chance(0.7))
            {
                codec.Remove("kind");
            }
            else
            {
                codec["kind"] = codec["kind"]!.GetValue<string>() == "audio" ? "video" : "audio";
            }
        }

        if (codec["kind"]?.GetValue<string>() == "audio" && rng.Chance(0.1))
        {
            if (rng.Chance(0.4))
            {
                codec.Remove("channels");
            }
            else
            {
                codec["channels"] = rng.Pick([1, 2, 6]);
            }
        }

        if (hostile && rng.Chance(0.05))
        {
            codec["clockRate"] = rng.Pick<JsonNode?>([44100, "90000", null]);
        }

        if (Name(codec).Equals("h264", StringComparison.OrdinalIgnoreCase) && rng.Chance(0.3))
        {
            var parameters = codec["parameters"] as JsonObject ?? [];
            codec["parameters"] = parameters;
            switch (rng.Next(5))
            {
                case 0:
                    parameters.Remove("packetization-mode");
                    break;
                case 1:
                    codec.Remove("parameters");
                    break;
                default:
                    parameters["packetization-mode"] = rng.Pick<JsonNode?>([0, 1, "1", 2, null]);
                    break;
            }

            if (rng.Chance(0.5) && codec["parameters"] is JsonObject present)
            {
                present["profile-level-id"] = rng.Pick(ProfileLevelIds);
            }
        }

        codec["rtcpFeedback"] = rng.Next(10) switch
        {
            < 5 => codec["rtcpFeedback"]?.DeepClone(),
            5 or 6 => FeedbackSubset(rng, codec["rtcpFeedback"] as JsonArray),
            7 => null,
            8 => hostile ? JsonNode.Parse(rng.Pick(["\"nack\"", "5", "[null]", "{}"])) : new JsonArray(),
            _ => new JsonArray(new JsonObject { ["type"] = "transport-cc" }, new JsonObject { ["type"] = "nack" }),
        };
        if (codec["rtcpFeedback"] is null)
        {
            codec.Remove("rtcpFeedback");
        }

        AddUnknownField(rng, codec, 0.05);
    }

    private static void VaryCapabilityExtension(Rng rng, JsonObject extension, bool hostile)
    {
        if (rng.Chance(0.05))
        {
            extension["preferredId"] = hostile && rng.Chance(0.5) ? extension["preferredId"]!.ToJsonString() : rng.Between(1, 14);
        }

        if (rng.Chance(0.1))
        {
            extension.Remove("kind");
        }
        else if (rng.Chance(0.05))
        {
            extension["kind"] = extension["kind"]!.GetValue<string>() == "audio" ? "video" : "audio";
        }

        if (hostile && rng.Chance(0.03))
        {
            extension["uri"] = rng.Pick(UnknownUris);
        }

        if (rng.Chance(0.1))
        {
            extension.Remove("preferredEncrypt");
        }

        AddUnknownField(rng, extension, 0.03);
    }

    // --- Producer rtpParameters ---------------------------------------------------------------------

    private static JsonNode? ProducerParameters(Rng rng, JsonObject room, bool hostile)
    {
        if (hostile && rng.Chance(0.03))
        {
            return JsonNode.Parse(rng.Pick(Palette));
        }

        var roomCodecs = room["codecs"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var media = roomCodecs.Where(c => Name(c) != "rtx").ToList();
        var kind = rng.Pick(media)["kind"]!.GetValue<string>();
        var ofKind = media.Where(c => c["kind"]!.GetValue<string>() == kind || rng.Chance(0.05)).ToList();

        var codecs = new List<JsonNode?>();
        var usedPayloadTypes = new List<int>();
        var withRtx = false;
        var mediaCount = rng.Between(1, 3);
        for (var i = 0; i < mediaCount; i++)
        {
            var roomCodec = rng.Pick(ofKind);
            var payloadType = PickPayloadType(rng, roomCodec["preferredPayloadType"]!.GetValue<int>(), usedPayloadTypes);
            var codec = new JsonObject
            {
                ["name"] = rng.Chance(0.2) ? (hostile ? NameVariant(rng, Name(roomCodec)) : CaseVariant(rng, Name(roomCodec))) : Name(roomCodec),
                ["mimeType"] = roomCodec["mimeType"]!.DeepClone(),
                ["clockRate"] = hostile && rng.Chance(0.05) ? rng.Pick<JsonNode?>([44100, "90000"]) : roomCodec["clockRate"]!.DeepClone(),
                ["payloadType"] = hostile && rng.Chance(0.05) ? rng.Pick<JsonNode?>([payloadType.ToString(CultureInfo.InvariantCulture), null, 1.5]) : payloadType,
            };

            if (roomCodec["channels"] is { } channels && !rng.Chance(0.2))
            {
                codec["channels"] = hostile && rng.Chance(0.05) ? rng.Pick([1, 2, 6]) : channels.DeepClone();
            }

            if (rng.Chance(0.7))
            {
                codec["parameters"] = CodecParameters(rng, Name(roomCodec), roomCodec["parameters"]?["packetization-mode"]?.GetValue<int>());
            }

            codec["rtcpFeedback"] = rng.Next(10) switch
            {
                < 6 => FeedbackSubset(rng, roomCodec["rtcpFeedback"] as JsonArray),
                6 => new JsonArray(new JsonObject { ["type"] = "transport-cc" }),
                7 when hostile => JsonNode.Parse(rng.Pick(["\"nack\"", "5", "[null]"])),
                _ => null,
            };
            if (codec["rtcpFeedback"] is null)
            {
                codec.Remove("rtcpFeedback");
            }

            AddUnknownField(rng, codec, 0.05);
            codecs.Add(codec);

            if (roomCodec["kind"]!.GetValue<string>() == "video" && rng.Chance(0.6))
            {
                codecs.Add(Rtx(rng, payloadType, usedPayloadTypes, hostile));
                withRtx = true;
            }
        }

        if (rng.Chance(hostile ? 0.15 : 0.03))
        {
            // RTX whose apt names no media codec of this producer, or an audio one.
            codecs.Add(Rtx(rng, rng.Pick([0, 8, 127, usedPayloadTypes[0]]), usedPayloadTypes, hostile));
        }

        if (hostile && rng.Chance(0.05))
        {
            codecs.Add(new JsonObject
            {
                ["name"] = rng.Pick(UnknownNames),
                ["mimeType"] = "video/unknown",
                ["clockRate"] = 90000,
                ["payloadType"] = rng.Between(96, 127),
            });
        }

        if (rng.Chance(0.2))
        {
            codecs = rng.Shuffled(codecs);
        }

        var parameters = new JsonObject { ["codecs"] = new JsonArray([.. codecs]) };
        if (rng.Chance(0.3))
        {
            parameters["muxId"] = rng.Pick(["0", "audio", "video", "1"]);
        }

        if (!rng.Chance(0.15))
        {
            parameters["headerExtensions"] = ProducerExtensions(rng, room, kind, hostile);
        }

        if (!rng.Chance(0.15))
        {
            parameters["encodings"] = Encodings(rng, withRtx, hostile);
        }

        if (!rng.Chance(0.2))
        {
            var rtcp = new JsonObject { ["cname"] = rng.Pick(["abc", "x/y+z==", ""]) };
            if (rng.Chance(0.6))
            {
                rtcp["reducedSize"] = true;
            }

            if (rng.Chance(0.6))
            {
                rtcp["mux"] = true;
            }

            AddUnknownField(rng, rtcp, 0.05);
            parameters["rtcp"] = rtcp;
        }

        AddUnknownField(rng, parameters, 0.1);
        if (hostile && rng.Chance(0.3))
        {
            Corrupt(rng, parameters, rng.Between(1, 2));
        }

        return parameters;
    }

    private static int PickPayloadType(Rng rng, int roomPayloadType, List<int> used)
    {
        var payloadType = rng.Next(10) switch
        {
            < 4 => roomPayloadType,
            4 when used.Count > 0 => rng.Pick(used), // a duplicate payload type
            _ => rng.Between(96, 127),
        };
        used.Add(payloadType);
        return payloadType;
    }

    private static JsonObject Rtx(Rng rng, int apt, List<int> used, bool hostile)
    {
        var payloadType = PickPayloadType(rng, rng.Between(96, 127), used);
        var rtx = new JsonObject
        {
            ["name"] = rng.Chance(0.8) ? "rtx" : rng.Pick(["RTX", "Rtx"]),
            ["mimeType"] = "video/rtx",
            ["clockRate"] = 90000,
            ["payloadType"] = payloadType,
        };
        switch (rng.Next(12))
        {
            case 0:
                break; // no parameters: reading apt throws
            case 1:
                rtx["parameters"] = new JsonObject(); // no apt
                break;
            case 2 when hostile:
                rtx["parameters"] = new JsonObject { ["apt"] = apt.ToString(CultureInfo.InvariantCulture) };
                break;
            case 3 when hostile:
                rtx["parameters"] = null;
                break;
            default:
                rtx["parameters"] = new JsonObject { ["apt"] = apt };
                break;
        }

        if (rng.Chance(0.2))
        {
            rtx["rtcpFeedback"] = new JsonArray();
        }

        return rtx;
    }

    private static JsonArray ProducerExtensions(Rng rng, JsonObject room, string kind, bool hostile)
    {
        var extensions = new JsonArray();
        foreach (var roomExtension in room["headerExtensions"]!.AsArray())
        {
            var sameKind = roomExtension!["kind"]!.GetValue<string>() == kind;
            if (!rng.Chance(sameKind ? 0.6 : 0.05))
            {
                continue;
            }

            var extension = new JsonObject
            {
                ["uri"] = roomExtension["uri"]!.DeepClone(),
                ["id"] = rng.Next(10) switch
                {
                    < 6 => roomExtension["preferredId"]!.DeepClone(),
                    9 when hostile => roomExtension["preferredId"]!.ToJsonString(),
                    _ => rng.Between(1, 14),
                },
            };
            if (rng.Chance(0.1))
            {
                extension["kind"] = rng.Chance(0.8) ? kind : "audio";
            }

            if (rng.Chance(0.1))
            {
                extension["encrypt"] = false;
            }

            AddUnknownField(rng, extension, 0.03);
            extensions.Add(extension);
        }

        if (hostile && rng.Chance(0.08))
        {
            extensions.Add(new JsonObject { ["uri"] = rng.Pick(UnknownUris), ["id"] = rng.Between(1, 14) });
        }

        if (extensions.Count > 0 && rng.Chance(0.05))
        {
            extensions.Add(extensions[rng.Next(extensions.Count)]!.DeepClone()); // a duplicate id
        }

        if (rng.Chance(0.1))
        {
            extensions.Add(new JsonObject { ["uri"] = MidUri, ["id"] = rng.Pick([5, 9]) });
        }

        return extensions;
    }

    private static JsonArray Encodings(Rng rng, bool withRtx, bool hostile)
    {
        var encodings = new JsonArray();
        var simulcast = rng.Chance(0.3);
        var count = simulcast ? rng.Between(2, 3) : 1;
        string[] profiles = ["low", "medium", "high"];
        for (var i = 0; i < count; i++)
        {
            var encoding = new JsonObject();
            if (!rng.Chance(0.1))
            {
                encoding["ssrc"] = hostile && rng.Chance(0.05) ? "1234" : (long)rng.Next(int.MaxValue) * 2;
            }

            if (withRtx ? rng.Chance(0.8) : rng.Chance(0.1))
            {
                encoding["rtx"] = new JsonObject { ["ssrc"] = (long)rng.Next(int.MaxValue) * 2 + 1 };
            }

            if (simulcast || rng.Chance(0.1))
            {
                encoding["profile"] = hostile && rng.Chance(0.05) ? rng.Pick<JsonNode?>(["default", "ultra", 5]) : profiles[Math.Min(i, 2)];
            }

            if (rng.Chance(0.1))
            {
                encoding["maxBitrate"] = rng.Pick([100000, 500000, 1500000]);
            }

            if (rng.Chance(0.05))
            {
                encoding["active"] = true;
            }

            AddUnknownField(rng, encoding, 0.03);
            encodings.Add(encoding);
        }

        return encodings;
    }

    /// <summary>Our consumable for a producer, or null when our code rejects the producer.</summary>
    private static JsonObject? ConsumableOf(JsonNode? producer, JsonObject room)
    {
        try
        {
            var parameters = JsonNode.Parse(producer!.ToJsonString());
            return ConsumableRtpParameters.Compute(parameters, room, ProducerRtpMapping.Compute(parameters, room));
        }
        catch (MediasoupError)
        {
            return null;
        }
    }

    // --- shared pieces ------------------------------------------------------------------------------

    private static JsonArray? FeedbackSubset(Rng rng, JsonArray? feedback)
    {
        if (feedback is null)
        {
            return null;
        }

        return new JsonArray([.. feedback.Where(_ => rng.Chance(0.7)).Select(f => f?.DeepClone())]);
    }

    private static string Name(JsonObject codec) => codec["name"]!.GetValue<string>();

    /// <summary>The name in some letter case (always a match for the original).</summary>
    private static string CaseVariant(Rng rng, string name) => rng.Next(6) switch
    {
        0 => name.ToUpperInvariant(),
        1 => name.ToLowerInvariant(),
        2 => string.Concat(name.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c))),
        _ => name,
    };

    /// <summary>
    /// The name varied the hostile way too: Unicode letters whose lower case is (or is not, in JS)
    /// ASCII, surrounding spaces, or another name altogether.
    /// </summary>
    private static string NameVariant(Rng rng, string name) => rng.Next(12) switch
    {
        0 => name.Replace('I', '\u0130').Replace('i', '\u0130'), // İ: "i̇" in JS, not "i"
        1 => name.Replace('K', '\u212A').Replace('k', '\u212A'), // the Kelvin sign: "k" in both
        2 => rng.Chance(0.5) ? $" {name}" : $"{name} ",
        3 => rng.Pick(UnknownNames),
        _ => CaseVariant(rng, name),
    };

    private static void AddUnknownField(Rng rng, JsonObject obj, double probability)
    {
        if (rng.Chance(probability))
        {
            obj[rng.Pick(["appData", "x-unknown", "ssrc", "foo"])] = JsonNode.Parse(rng.Pick(Palette));
        }
    }

    private static string? Maybe(Rng rng, JsonNode? node) => rng.Chance(0.02) ? null : node?.ToJsonString() ?? "null";

    /// <summary>
    /// Corrupts <paramref name="root"/> in place at <paramref name="count"/> random places: a value
    /// replaced by one of a palette of JSON values of every type, a key removed, an unknown key
    /// added, a number turned into its string or back, an array element doubled. The root itself
    /// stays (an object stays an object).
    /// </summary>
    private static void Corrupt(Rng rng, JsonNode root, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var slots = new List<(JsonNode Parent, object Step)>();
            CollectSlots(root, slots);
            if (slots.Count == 0)
            {
                return;
            }

            var (parent, step) = rng.Pick(slots);
            var current = step is string key ? parent[key] : parent[(int)step];
            JsonNode? replacement;
            switch (rng.Next(6))
            {
                case 0 when step is string removed:
                    parent.AsObject().Remove(removed);
                    continue;
                case 1 when current is JsonObject obj:
                    obj[rng.Pick(["x", "appData", "toString", "__proto__"])] = JsonNode.Parse(rng.Pick(Palette));
                    continue;
                case 2 when current is JsonArray array && array.Count > 0:
                    array.Insert(rng.Next(array.Count + 1), array[rng.Next(array.Count)]?.DeepClone());
                    continue;
                case 3 when current is JsonValue value && value.GetValueKind() == JsonValueKind.Number:
                    replacement = value.ToJsonString();
                    break;
                case 3 when current is JsonValue text && text.GetValueKind() == JsonValueKind.String
                    && double.TryParse(text.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out _):
                    replacement = JsonNode.Parse(text.GetValue<string>());
                    break;
                default:
                    replacement = JsonNode.Parse(rng.Pick(Palette));
                    break;
            }

            if (step is string name)
            {
                parent[name] = replacement;
            }
            else
            {
                parent[(int)step] = replacement;
            }
        }
    }

    private static void CollectSlots(JsonNode node, List<(JsonNode Parent, object Step)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    slots.Add((obj, key));
                    if (child is not null)
                    {
                        CollectSlots(child, slots);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, i));
                    if (array[i] is { } child)
                    {
                        CollectSlots(child, slots);
                    }
                }

                break;
        }
    }
}
