using System.Net;
using System.Net.WebSockets;
using Coordinator.Gateway.Auth;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.Grains.Interfaces;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Gateway.Tests;

/// <summary>A node in token mode (the default), with an HS256 key.</summary>
public sealed class TokenNode : EmbeddedNode
{
    public SymmetricSecurityKey Key { get; } = TokenKeys.Symmetric(TokenKeys.NewSymmetricKey());

    protected override IEnumerable<string> Settings =>
    [
        "--Gateway:DevelopmentMode=false",
        $"--Gateway:Tokens:SigningKey={Convert.ToBase64String(Key.Key)}",
    ];

    public string Token(string room, string peer, PeerGrants grants = PeerGrants.Publish | PeerGrants.Subscribe, TimeSpan? lifetime = null) =>
        JoinTokenIssuer.Create(Key, room, peer, grants, lifetime ?? TimeSpan.FromMinutes(5));

    public Uri TokenUri(string room, string peer, string? token) =>
        new(PeerUri(room, peer) + (token is null ? "" : $"&token={System.Uri.EscapeDataString(token)}"));
}

public sealed class JoinTokenTests(TokenNode node) : IClassFixture<TokenNode>
{
    private readonly string _room = $"room-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_valid_token_opens_the_socket_from_the_query_or_the_authorization_header()
    {
        await using var alice = await ProtooClient.ConnectAsync(node.TokenUri(_room, "alice", node.Token(_room, "alice")), "alice");
        var bobToken = node.Token(_room, "bob");
        await using var bob = await ProtooClient.ConnectAsync(node.TokenUri(_room, "bob", null), "bob",
            options => options.SetRequestHeader("Authorization", $"Bearer {bobToken}"));

        await alice.JoinAsync().Ok();
        await bob.JoinAsync().Ok();
    }

    [Fact]
    public async Task Sockets_without_a_usable_token_are_refused()
    {
        var otherKey = TokenKeys.Symmetric(TokenKeys.NewSymmetricKey());

        Assert.Equal(HttpStatusCode.Unauthorized, await Refusal(node.TokenUri(_room, "alice", null)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Refusal(node.TokenUri(_room, "alice", "not-a-token")));
        Assert.Equal(HttpStatusCode.Unauthorized, await Refusal(node.TokenUri(_room, "alice", node.Token(_room, "alice", lifetime: TimeSpan.FromMinutes(-5)))));
        Assert.Equal(HttpStatusCode.Unauthorized, await Refusal(node.TokenUri(_room, "alice", JoinTokenIssuer.Create(otherKey, _room, "alice", PeerGrants.All, TimeSpan.FromMinutes(5)))));
        Assert.Equal(HttpStatusCode.Forbidden, await Refusal(node.TokenUri(_room, "alice", node.Token(_room, "mallory"))));
        Assert.Equal(HttpStatusCode.Forbidden, await Refusal(node.TokenUri(_room, "alice", node.Token("another-room", "alice"))));
    }

    [Fact]
    public async Task Grants_are_enforced_by_the_room()
    {
        await using var viewer = await ProtooClient.ConnectAsync(node.TokenUri(_room, "viewer", node.Token(_room, "viewer", PeerGrants.Subscribe)), "viewer");
        await using var blind = await ProtooClient.ConnectAsync(node.TokenUri(_room, "blind", node.Token(_room, "blind", PeerGrants.Publish)), "blind");
        await using var spy = await ProtooClient.ConnectAsync(node.TokenUri(_room, "spy", node.Token(_room, "spy", PeerGrants.Subscribe)), "spy");
        await viewer.JoinAsync().Ok();
        await blind.JoinAsync().Ok();

        var spyRefusal = await spy.JoinAsSpyAsync();
        var viewerTransport = await viewer.CreateSendTransport();
        var publishRefusal = await viewer.MediasoupAsync(Requests.Producer(Requests.NewId(), viewerTransport, "audio"));
        await blind.Produce(await blind.CreateSendTransport(), "audio");

        JsonExpect.ErrorResponse(spyRefusal, 403, "Error: joining as a spy needs the spy grant");
        JsonExpect.ErrorResponse(publishRefusal, 403, "Error: creating producers needs the publish grant");
        await viewer.WaitForNotificationAsync("newConsumer");
        Assert.DoesNotContain("newConsumer", blind.Methods()); // no subscribe grant: no consumers for it
    }

    private static async Task<HttpStatusCode> Refusal(Uri uri)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("protoo");
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        return socket.HttpStatusCode;
    }
}
