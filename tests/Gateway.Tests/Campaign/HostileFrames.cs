using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.TestSupport;
using CsCheck;

namespace Coordinator.Gateway.Tests.Campaign;

/// <summary>
/// Generators of hostile frames: garbage, truncated JSON, wrong shapes, and — for well over a
/// third of them — well-formed protoo messages carrying real mediasoup messages whose fields were
/// replaced or removed, so the campaign reaches the grains and the worker, not only the parser.
/// </summary>
internal static class HostileFrames
{
    /// <summary>A request frame (it must get exactly one response) or anything else.</summary>
    public sealed record Frame(string Text, bool IsRequest, bool IsWellFormedProtocol);

    private static readonly string[] Methods =
    [
        "queryRoom", "join", "leave", "createTransport", "updateTransport", "restartTransport", "closeTransport",
        "enableTransportStats", "disableTransportStats", "createProducer", "updateProducer", "pauseProducer",
        "resumeProducer", "closeProducer", "enableProducerStats", "disableProducerStats", "enableConsumer",
        "pauseConsumer", "resumeConsumer", "setConsumerPreferredProfile", "enableConsumerStats", "disableConsumerStats",
        "bogusMethod",
    ];

    private static readonly string[] Notifications =
    [
        "leave", "updateTransport", "closeTransport", "enableTransportStats", "disableTransportStats", "updateProducer",
        "pauseProducer", "resumeProducer", "closeProducer", "enableProducerStats", "disableProducerStats",
        "pauseConsumer", "resumeConsumer", "setConsumerPreferredProfile", "enableConsumerStats", "disableConsumerStats",
    ];

    private static readonly JsonObject[] Templates =
    [
        .. new[] { "alice", "bob", "carol" }.SelectMany(peer => new[] { "join", "createTransport", "createProducer", "updateTransport", "enableConsumer", "closeProducer", "leave" }
            .SelectMany(method => CapturedSession.SentAll(peer, method)))
            .Select(message => JsonNode.Parse(message.GetRawText())!.AsObject()),
    ];

    /// <summary>Values that break assumptions: wrong types, huge and negative numbers, deep nesting, long and odd strings.</summary>
    public static readonly Gen<JsonNode?> HostileValue = Gen.Frequency(
        (2, Gen.Const((JsonNode?)null)),
        (2, Gen.Long.Select(value => (JsonNode?)value)),
        (1, Gen.Double.Select(value => (JsonNode?)(double.IsFinite(value) ? value : -0.5))),
        (2, Gen.String.Select(value => (JsonNode?)value)),
        (1, Gen.Bool.Select(value => (JsonNode?)value)),
        (1, Gen.Int[0, 40].Select(depth => Nested(depth))),
        (1, Gen.Int[0, 4000].Select(length => (JsonNode?)new string('x', length))),
        (1, Gen.Const<JsonNode?>("\u0000\ud83d\ude00 ünïcødé \u202e")),
        (3, Gen.UInt[10_000_000, 99_999_999].Select(id => (JsonNode?)id)),
        (1, Gen.Const(() => (JsonNode?)new JsonObject())),
        (1, Gen.Const(() => (JsonNode?)new JsonArray())));

    /// <summary>A real message of the captured session with 1–4 fields replaced or removed, or an unknown method.</summary>
    public static readonly Gen<JsonObject> HostileMessage =
        Gen.Select(
            Gen.Int[0, Templates.Length - 1],
            Gen.Select(Gen.Int[0, 50], Gen.Bool, HostileValue).Array[1, 4],
            Gen.Int[0, Methods.Length - 1],
            Gen.Int[0, 9],
            (template, mutations, method, renameOdds) =>
            {
                var message = (JsonObject)Templates[template].DeepClone();
                if (renameOdds == 0)
                {
                    message["method"] = Methods[method];
                }

                foreach (var (path, remove, value) in mutations)
                {
                    Mutate(message, path, remove, value);
                }

                return message;
            });

    public static readonly Gen<Frame> Any = Gen.Frequency(
        (1, Gen.String.Select(text => new Frame(text, false, false))),
        (1, Gen.Select(HostileMessage, Gen.Int[1, 200], (message, cut) => new Frame(Truncate(message.ToJsonString(), cut), false, false))),
        (1, HostileValue.Select(value => new Frame(value?.ToJsonString() ?? "null", false, false))),
        (5, Gen.Select(HostileMessage, Gen.Int[0, 9], (message, shape) => Protoo(message, shape))));

    private static Frame Protoo(JsonObject message, int shape)
    {
        var method = message["method"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
        return shape switch
        {
            // A notification for notification methods, else a request; sometimes the other way round.
            < 7 when Notifications.Contains(method) => Notification(message),
            < 7 => Request(message, "mediasoup-request"),
            7 => Request(message, "mediasoup-notification"),
            8 => Request(message, "someOtherMethod"),
            _ => Notification(message),
        };
    }

    private static Frame Request(JsonObject message, string protooMethod) =>
        new(new JsonObject { ["request"] = true, ["id"] = 0, ["method"] = protooMethod, ["data"] = message }.ToJsonString(), true, true);

    private static Frame Notification(JsonObject message)
    {
        message["notification"] = true;
        return new(new JsonObject { ["notification"] = true, ["method"] = "mediasoup-notification", ["data"] = message }.ToJsonString(), false, true);
    }

    /// <summary>Replaces or removes the field that <paramref name="path"/> lands on, at any depth.</summary>
    private static void Mutate(JsonObject root, int path, bool remove, JsonNode? value)
    {
        JsonNode node = root;
        for (var step = 0; step < 3; step++)
        {
            if (node is JsonObject obj && obj.Count > 0)
            {
                var key = obj.ElementAt(path % obj.Count).Key;
                if (step == 2 || obj[key] is not (JsonObject or JsonArray) || path % 3 == step)
                {
                    if (remove)
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        obj[key] = value?.DeepClone();
                    }

                    return;
                }

                node = obj[key]!;
            }
            else if (node is JsonArray array && array.Count > 0)
            {
                node = array[path % array.Count] ?? root;
            }
            else
            {
                return;
            }

            path /= 2;
        }
    }

    private static JsonNode? Nested(int depth)
    {
        JsonNode node = new JsonObject();
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["n"] = node };
        }

        return node;
    }

    private static string Truncate(string text, int cut) => text.Length <= 1 ? text : text[..Math.Max(1, text.Length - (cut % text.Length))];

    /// <summary>Gives a request frame its protoo id (the envelope's, which comes first).</summary>
    public static string WithId(string requestFrame, long id)
    {
        const string Placeholder = "\"id\":0,";
        var at = requestFrame.IndexOf(Placeholder, StringComparison.Ordinal);
        return string.Concat(requestFrame.AsSpan(0, at), $"\"id\":{id},", requestFrame.AsSpan(at + Placeholder.Length));
    }

    public static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
