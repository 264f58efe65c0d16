using System.Net;
using System.Net.WebSockets;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests.Frontend;

/// <summary>Frontend credentials: a token with the <c>frontend</c> grant lets a frontend in; its <c>room</c> claim scopes it.</summary>
public sealed class FrontendTokenTests(TokenNode node) : IClassFixture<TokenNode>
{
    private readonly string _prefix = $"acme-{Guid.NewGuid():N}-";

    [Fact]
    public async Task A_frontend_needs_a_valid_token_with_the_frontend_grant()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await Refusal(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await Refusal("not-a-token"));
        Assert.Equal(HttpStatusCode.Forbidden, await Refusal(node.Token("*", "shop", PeerGrants.All)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Refusal(node.Token("*", "shop", PeerGrants.Frontend, TimeSpan.FromMinutes(-5))));

        await using var frontend = await FrontendClient.ConnectAsync(node.BaseUri, node.Token("*", "shop", PeerGrants.Frontend));
        await frontend.QueryRoomAsync($"{_prefix}any").Ok();
    }

    [Fact]
    public async Task A_frontend_acts_only_within_its_room_scope_and_its_peers_only_with_the_grants_it_gives()
    {
        await using var frontend = await FrontendClient.ConnectAsync(node.BaseUri, node.Token($"{_prefix}*", "shop", PeerGrants.Frontend));
        var outside = $"other-{Guid.NewGuid():N}";
        Assert.Equal($"room \"{outside}\" is outside this frontend's scope", await frontend.OpenSessionRawAsync(new { session = "x", roomId = outside, peerName = "alice", grants = new[] { "publish" } }).Error());
        Assert.Equal($"room \"{outside}\" is outside this frontend's scope", await frontend.QueryRoomAsync(outside).Error());

        // Inside the scope; a peer given only subscribe cannot publish: the Room enforces the grant.
        var viewer = await frontend.OpenSessionAsync("viewer", $"{_prefix}1", "viewer", "subscribe");
        await viewer.JoinAsync(CapturedSession.JoinCapabilities).Ok();
        var transport = Requests.NewId();
        await viewer.MediasoupAsync(Requests.SendTransport(transport)).Ok();
        Assert.Equal("Error: creating producers needs the publish grant", await viewer.MediasoupAsync(Requests.Producer(Requests.NewId(), transport, "audio")).Error());
    }

    [Fact]
    public async Task An_exact_room_claim_scopes_a_frontend_to_that_one_room()
    {
        var room = $"{_prefix}only";
        await using var frontend = await FrontendClient.ConnectAsync(node.BaseUri, node.Token(room, "shop", PeerGrants.Frontend));
        await frontend.OpenSessionAsync("a", room, "alice");
        Assert.Equal($"room \"{room}x\" is outside this frontend's scope", await frontend.OpenSessionRawAsync(new { session = "b", roomId = $"{room}x", peerName = "bob", grants = new[] { "publish" } }).Error());
    }

    private async Task<HttpStatusCode> Refusal(string? token)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(FrontendClient.SubProtocol);
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new Uri(node.BaseUri, "/frontend" + (token is null ? "" : $"?token={Uri.EscapeDataString(token)}"));
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        return socket.HttpStatusCode;
    }
}
