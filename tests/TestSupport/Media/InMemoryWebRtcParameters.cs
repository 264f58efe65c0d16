using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Coordinator.Grains.Media;

namespace Coordinator.TestSupport.Media;

/// <summary>ICE and DTLS local parameters shaped like the reference worker's (docs/worker-channel.md#methods).</summary>
internal static class InMemoryWebRtcParameters
{
    private const string IceAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>(algorithm, digest length in bytes), in the worker's order.</summary>
    private static readonly (string Algorithm, int Length)[] FingerprintAlgorithms =
    [
        ("sha-1", 20), ("sha-224", 28), ("sha-256", 32), ("sha-384", 48), ("sha-512", 64),
    ];

    public static string NewUsernameFragment() => RandomString(16);

    public static string NewPassword() => RandomString(32);

    /// <summary>One set per (simulated) worker, like the worker's one certificate: uppercase hex with colons.</summary>
    public static JsonArray NewFingerprints()
    {
        var fingerprints = new JsonArray();
        foreach (var (algorithm, length) in FingerprintAlgorithms)
        {
            var value = string.Join(':', RandomNumberGenerator.GetBytes(length).Select(b => b.ToString("X2")));
            fingerprints.Add(new JsonObject { ["algorithm"] = algorithm, ["value"] = value });
        }

        return fingerprints;
    }

    /// <summary>One IPv4 host candidate per enabled protocol, udp first, with the reference priorities.</summary>
    public static JsonArray Candidates(string ip, WebRtcTransportOptions options, Func<int> nextPort)
    {
        var candidates = new JsonArray();
        if (options.Udp)
        {
            candidates.Add(new JsonObject
            {
                ["family"] = "ipv4",
                ["foundation"] = "udpcandidate",
                ["ip"] = ip,
                ["port"] = nextPort(),
                ["priority"] = Priority(options.PreferIPv4, options.PreferUdp),
                ["protocol"] = "udp",
                ["type"] = "host",
            });
        }

        if (options.Tcp)
        {
            candidates.Add(new JsonObject
            {
                ["family"] = "ipv4",
                ["foundation"] = "tcpcandidate",
                ["ip"] = ip,
                ["port"] = nextPort(),
                ["priority"] = Priority(options.PreferIPv4, options.PreferTcp),
                ["protocol"] = "tcp",
                ["tcpType"] = "passive",
                ["type"] = "host",
            });
        }

        return candidates;
    }

    /// <summary>2^24·64 + 2^8·localPref + 255; localPref = 20000 (+10000 preferred family, +5000 preferred protocol).</summary>
    private static long Priority(bool familyPreferred, bool protocolPreferred)
    {
        var localPreference = 20000 + (familyPreferred ? 10000 : 0) + (protocolPreferred ? 5000 : 0);
        return (1L << 24) * 64 + (1L << 8) * localPreference + 255;
    }

    private static string RandomString(int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => IceAlphabet[RandomNumberGenerator.GetInt32(IceAlphabet.Length)])]);
}
