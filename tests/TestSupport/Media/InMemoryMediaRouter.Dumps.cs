using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.TestSupport.Media;

/// <summary>
/// Per-object dumps in the worker's shapes (docs/worker-channel.md#methods), with what this double knows:
/// no media ever flows, so there is no selected tuple, no RTP stream and the effective profile
/// stays <c>none</c>; producer RTP parameters are shown as given, not normalised.
/// </summary>
public sealed partial class InMemoryMediaRouter
{
    public Task<JsonElement> DumpTransportAsync(uint transportId, CancellationToken cancellationToken = default) =>
        Call(() => Element(TransportDump(LiveTransport(transportId))), cancellationToken);

    public Task<JsonElement> DumpProducerAsync(uint producerId, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                var producer = LiveProducer(producerId);
                return Element(new JsonObject
                {
                    ["headerExtensionIds"] = new JsonObject(),
                    ["kind"] = producer.Kind,
                    ["lossPercentage"] = 0,
                    ["paused"] = producer.Paused,
                    ["producerId"] = producer.Id,
                    ["rtpParameters"] = JsonNode.Parse(producer.RtpParameters.GetRawText()),
                    ["rtpStreamInfos"] = new JsonArray(),
                });
            },
            cancellationToken);

    public Task<JsonElement> DumpConsumerAsync(uint consumerId, CancellationToken cancellationToken = default) =>
        Call(
            () =>
            {
                var consumer = LiveConsumer(consumerId);
                var dump = new JsonObject
                {
                    ["consumerId"] = consumer.Id,
                    ["effectiveProfile"] = "none",
                    ["kind"] = consumer.Kind,
                    ["paused"] = consumer.Paused,
                    ["preferredProfile"] = consumer.PreferredProfile,
                    ["sourcePaused"] = _producers[consumer.ProducerId].Paused,
                    ["sourceProducerId"] = consumer.ProducerId,
                };

                // Like the worker: parameters and loss only while enabled.
                if (consumer.EnabledOn is not null)
                {
                    dump["lossPercentage"] = 0;
                    dump["rtpParameters"] = JsonNode.Parse(consumer.RtpParameters.GetRawText());
                }

                return Element(dump);
            },
            cancellationToken);

    private JsonObject TransportDump(InMemoryTransport transport)
    {
        var listener = new JsonObject
        {
            ["muxIdTable"] = new JsonObject(transport.MuxIds.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))),
            ["ridTable"] = new JsonObject(),
            ["ssrcTable"] = new JsonObject(transport.Ssrcs.Select(pair => KeyValuePair.Create(pair.Key.ToString(), (JsonNode?)pair.Value))),
        };
        if (transport.IsPlain)
        {
            var plain = new JsonObject
            {
                ["localIP"] = _localIp,
                ["localPort"] = transport.LocalPort,
                ["rtpListener"] = listener,
                ["transportId"] = transport.Id,
            };
            if (transport.Remote is var (ip, port))
            {
                plain["tuple"] = new JsonObject
                {
                    ["localIP"] = _localIp,
                    ["localPort"] = transport.LocalPort,
                    ["protocol"] = "udp",
                    ["remoteIP"] = ip,
                    ["remotePort"] = port,
                };
            }

            return plain;
        }

        return new JsonObject
        {
            ["dtlsLocalParameters"] = new JsonObject { ["fingerprints"] = _fingerprints.DeepClone(), ["role"] = transport.DtlsRole },
            ["dtlsState"] = transport.DtlsState,
            ["headerExtensionIds"] = new JsonObject(),
            ["iceLocalCandidates"] = transport.Candidates?.DeepClone(),
            ["iceLocalParameters"] = IceParameters(transport),
            ["iceRole"] = "controlled",
            ["iceState"] = transport.IceState,
            ["rtpListener"] = listener,
            ["transportId"] = transport.Id,
        };
    }
}
