using System.Text;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.Protocol.Protoo;
using Coordinator.Tools.Protoo;
using CsCheck;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Coordinator.Gateway.Tests.Campaign;

/// <summary>
/// The handshake part of the bad-input campaign: generated room ids and peer names (whitespace,
/// controls, separators, bidi controls, lone surrogates, lengths around the bound) sent as raw
/// upgrade requests. Each is either accepted and usable or refused with 400 and the rule's reason;
/// nothing is logged as an error, and a room running alongside does not notice.
/// </summary>
[Collection(LogCaptureNodeCollection.Name)]
public sealed class HostileHandshakeTests(LogCaptureNode node, ITestOutputHelper output)
{
    private static readonly Gen<char> HostileChar = Gen.Frequency(
        (8, Gen.Char['a', 'z']),
        (1, Gen.Char[" \t\u00a0\u3000\u2003"]),
        (1, Gen.Char["\r\n\0\u0007\u001b\u007f\u0085\u2028\u2029\u061c\u200e\u202e\u2066"]),
        (1, Gen.Char["\u200d\ufeff\ufffd%&=+#/?é"]),
        (1, Gen.Char)); // anything, lone surrogates included

    private static readonly Gen<string> HostileId = Gen.Frequency((8, Gen.Int[0, 12]), (1, Gen.Int[250, 260]))
        .SelectMany(length => HostileChar.Array[length])
        .Select(chars => new string(chars));

    [Fact]
    public async Task Generated_ids_are_accepted_or_refused_by_the_rules_and_nothing_fails()
    {
        var room = $"calm-{Guid.NewGuid():N}";
        await using var bystanders = await node.JoinedPeersAsync(room, "alice", "bob");
        var (accepted, refused) = (0, 0);

        await Check.SampleAsync(
            Gen.Select(HostileId, HostileId),
            async (roomId, peerName) =>
            {
                var (roomSent, peerSent) = (AsServerReads(roomId), AsServerReads(peerName));
                var query = $"/?roomId={PercentEncoded(roomId)}&peerName={PercentEncoded(peerName)}";
                var response = await RawUpgrade.SendAsync(node.BaseUri, query);
                var expected = roomSent.Length == 0 || peerSent.Length == 0
                    ? ProtooHandshake.MissingRoomOrPeer
                    : PeerIdentifiers.Refusal("roomId", roomSent) ?? PeerIdentifiers.Refusal("peerName", peerSent);
                if (expected is null)
                {
                    Assert.Equal(101, response.Status);
                    await using var client = await ProtooClient.ConnectAsync(new Uri(node.BaseUri, query), peerSent);
                    await client.QueryRoomAsync().Ok();
                    accepted++;
                }
                else
                {
                    Assert.Equal((400, expected), (response.Status, response.RejectReason));
                    refused++;
                }
            },
            iter: 300,
            threads: 1);

        output.WriteLine($"{accepted} handshakes accepted, {refused} refused");
        Assert.True(accepted >= 30 && refused >= 30, $"both outcomes are exercised ({accepted} accepted, {refused} refused)");
        Assert.DoesNotContain(node.Log.Entries, entry => entry.Level >= LogLevel.Error);
        var (alice, bob) = bystanders;
        await alice.QueryRoomAsync().Ok();
        await bob.QueryRoomAsync().Ok();
    }

    /// <summary>Every UTF-8 byte but the unreserved ASCII ones as %XX; a lone surrogate goes as U+FFFD, as any UTF-8 encoder sends it.</summary>
    private static string PercentEncoded(string value) => string.Concat(Encoding.UTF8.GetBytes(value).Select(b =>
        char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' ? ((char)b).ToString() : $"%{b:X2}"));

    private static string AsServerReads(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));
}
