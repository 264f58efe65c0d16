using System.Net.WebSockets;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.Tools.Protoo;
using Microsoft.Extensions.Logging;

namespace Coordinator.Gateway.Tests;

/// <summary>
/// What the handshake refuses beyond the reference's rules (docs/protocol.md#coordinators-additions):
/// unusable ids, repeated parameters, HTTP/1.0. Each is a 400 with a reason before the upgrade;
/// none reaches an unhandled exception, and a room already running does not notice.
/// </summary>
[Collection(LogCaptureNodeCollection.Name)]
public sealed class HandshakeValidationTests(LogCaptureNode node)
{
    [Theory]
    [InlineData("roomId=%20&peerName=p", "roomId is empty or only whitespace")]
    [InlineData("roomId=+&peerName=p", "roomId is empty or only whitespace")]
    [InlineData("roomId=%E3%80%80&peerName=p", "roomId is empty or only whitespace")]
    [InlineData("roomId=r&peerName=%09%20", "peerName is empty or only whitespace")]
    [InlineData("roomId=a%0D%0Afail:%20forged&peerName=p", "roomId contains the control character U+000D")]
    [InlineData("roomId=r&peerName=a%0Ab", "peerName contains the control character U+000A")]
    [InlineData("roomId=r%00&peerName=p", "roomId contains the control character U+0000")]
    [InlineData("roomId=r%7F&peerName=p", "roomId contains the control character U+007F")]
    [InlineData("roomId=r%C2%85&peerName=p", "roomId contains the control character U+0085")]
    [InlineData("roomId=r%E2%80%A8&peerName=p", "roomId contains the control character U+2028")]
    [InlineData("roomId=r&peerName=a%E2%80%AEb", "peerName contains the control character U+202E")]
    [InlineData("roomId=a&roomId=b&peerName=p", "roomId is given more than once")]
    [InlineData("roomId=r&peerName=p&peerName=p", "peerName is given more than once")]
    [InlineData("roomId=r&peerName=p&token=a&token=b", "token is given more than once")]
    public async Task An_unusable_query_is_refused_with_400_and_its_reason(string query, string reason)
    {
        var room = $"calm-{Guid.NewGuid():N}";
        await using var bystanders = await node.JoinedPeersAsync(room, "alice", "bob");

        var response = await RawUpgrade.SendAsync(node.BaseUri, "/?" + query);

        Assert.Equal((400, reason), (response.Status, response.RejectReason));
        await AssertRoomStillWorks(room, bystanders);
    }

    [Theory]
    [InlineData("roomId")]
    [InlineData("peerName")]
    public async Task An_id_of_256_characters_is_accepted_and_one_of_257_refused(string parameter)
    {
        string Query(int length) => parameter == "roomId"
            ? $"roomId={new string('r', length)}&peerName=p"
            : $"roomId=long-{Guid.NewGuid():N}&peerName={new string('p', length)}";

        var refused = await RawUpgrade.SendAsync(node.BaseUri, "/?" + Query(257));
        await using var accepted = await ProtooClient.ConnectAsync(new Uri(node.BaseUri, "/?" + Query(256)), "p");

        Assert.Equal((400, $"{parameter} is longer than 256 characters"), (refused.Status, refused.RejectReason));
        await accepted.QueryRoomAsync().Ok();
    }

    [Fact]
    public async Task Length_counts_UTF16_code_units_as_JavaScript_does()
    {
        var emoji = Uri.EscapeDataString("\U0001F600"); // two UTF-16 code units, four UTF-8 bytes
        var room = $"emoji-{Guid.NewGuid():N}";

        var refused = await RawUpgrade.SendAsync(node.BaseUri, $"/?roomId={room}&peerName={string.Concat(Enumerable.Repeat(emoji, 129))}");
        var accepted = await RawUpgrade.SendAsync(node.BaseUri, $"/?roomId={room}&peerName={string.Concat(Enumerable.Repeat(emoji, 128))}");

        Assert.Equal((400, "peerName is longer than 256 characters"), (refused.Status, refused.RejectReason));
        Assert.Equal(101, accepted.Status);
    }

    [Theory]
    [InlineData("a%20b")] // whitespace inside an id is fine
    [InlineData("%ZZ%")] // not percent-encoding: kept as written
    [InlineData("%FF")] // not UTF-8: kept as written
    [InlineData("%F0%9F%91%A9%E2%80%8D%F0%9F%92%BB")] // an emoji sequence joined by U+200D
    public async Task Other_ids_are_accepted_and_the_socket_works(string encodedRoomId)
    {
        await using var client = await ProtooClient.ConnectAsync(new Uri(node.BaseUri, $"/?roomId={encodedRoomId}&peerName=p-{Guid.NewGuid():N}"), "p");

        await client.QueryRoomAsync().Ok();
    }

    [Fact]
    public async Task An_HTTP_1_0_upgrade_is_refused_with_400()
    {
        var room = $"old-{Guid.NewGuid():N}";

        var refused = await RawUpgrade.SendAsync(node.BaseUri, $"/?roomId={room}&peerName=p", version: "HTTP/1.0");
        var accepted = await RawUpgrade.SendAsync(node.BaseUri, $"/?roomId={room}&peerName=p", version: "HTTP/1.1");

        Assert.Equal((400, "a WebSocket upgrade needs HTTP/1.1 or later"), (refused.Status, refused.RejectReason));
        Assert.Equal(101, accepted.Status);
    }

    [Fact]
    public async Task A_query_longer_than_Kestrels_request_line_limit_is_refused_with_414()
    {
        var room = $"calm-{Guid.NewGuid():N}";
        await using var bystanders = await node.JoinedPeersAsync(room, "alice", "bob");

        var response = await RawUpgrade.SendAsync(node.BaseUri, $"/?roomId=r&peerName=p&padding={new string('x', 9000)}");

        Assert.Equal(414, response.Status);
        await AssertRoomStillWorks(room, bystanders);
    }

    [Fact]
    public async Task No_handshake_ends_in_an_unhandled_exception()
    {
        string[] queries = ["roomId=%20&peerName=p", "roomId=r&peerName=%20", "roomId=%ZZ&peerName=%", "roomId=a&roomId=%20&peerName=p", "roomId=r&peerName=p&token=%00"];
        foreach (var query in queries)
        {
            await using var client = await ConnectOrNull("/?" + query);
            if (client is not null)
            {
                await client.QueryRoomAsync().Ok();
            }
        }

        Assert.DoesNotContain(node.Log.Entries, entry => entry.Level >= LogLevel.Error);
    }

    /// <summary>
    /// A client on the handshake, or null if it was refused.
    /// </summary>
    private async Task<ProtooClient?> ConnectOrNull(string pathAndQuery)
    {
        try
        {
            return await ProtooClient.ConnectAsync(new Uri(node.BaseUri, pathAndQuery), "p");
        }
        catch (WebSocketException refused) when (refused.WebSocketErrorCode == WebSocketError.NotAWebSocket)
        {
            return null;
        }
    }

    /// <summary>alice and bob still get answers, and a newcomer is announced to both.</summary>
    private async Task AssertRoomStillWorks(string room, JoinedPeers bystanders)
    {
        var (alice, bob) = bystanders;
        await alice.QueryRoomAsync().Ok();
        await bob.QueryRoomAsync().Ok();
        await using var carol = await node.JoinedPeerAsync(room, "carol");
        await alice.WaitForNotificationAsync("newPeer", data => data.GetProperty("name").GetString() == "carol");
        await bob.WaitForNotificationAsync("newPeer", data => data.GetProperty("name").GetString() == "carol");
    }
}
