using System.Net;
using Coordinator.Gateway.Auth;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Gateway.Tests.Admin;

/// <summary>Who may use the admin API: a valid bearer token with the admin grant, within its room scope.</summary>
[Collection(AdminNodeCollection.Name)]
public sealed class AdminAuthTests(AdminNode node)
{
    [Theory]
    [InlineData("GET", "/admin/rooms")]
    [InlineData("GET", "/admin/rooms/demo")]
    [InlineData("POST", "/admin/rooms/demo/close")]
    [InlineData("POST", "/admin/rooms/demo/peers/alice/close")]
    [InlineData("POST", "/admin/rooms/demo/producers/1/pause")]
    [InlineData("POST", "/admin/rooms/demo/producers/1/resume")]
    [InlineData("GET", "/admin/rooms/demo/settings")]
    [InlineData("PUT", "/admin/rooms/demo/settings")]
    [InlineData("GET", "/admin/no-such-endpoint")]
    public async Task Every_endpoint_needs_a_token(string method, string path)
    {
        var response = await node.SendAsync(new HttpMethod(method), path, token: null, body: method == "GET" ? null : new { });

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("an admin token is required: Authorization: Bearer <token>", response.Error);
        Assert.Equal("Bearer", response.Challenge);
    }

    [Fact]
    public async Task Unusable_tokens_are_refused_with_401()
    {
        var otherKey = TokenKeys.Symmetric(TokenKeys.NewSymmetricKey());

        var garbage = await node.GetAsync("/admin/rooms", "not-a-token");
        var expired = await node.GetAsync("/admin/rooms", node.Token("*", "operator", PeerGrants.Admin, TimeSpan.FromMinutes(-5)));
        var forged = await node.GetAsync("/admin/rooms", JoinTokenIssuer.Create(otherKey, "*", "operator", PeerGrants.Admin, TimeSpan.FromMinutes(5)));

        Assert.Equal((HttpStatusCode.Unauthorized, "the join token is not valid"), (garbage.Status, garbage.Error));
        Assert.Equal((HttpStatusCode.Unauthorized, "the join token has expired"), (expired.Status, expired.Error));
        Assert.Equal((HttpStatusCode.Unauthorized, "the join token's signature is not valid"), (forged.Status, forged.Error));
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_not_accepted()
    {
        var response = await node.SendAsync(HttpMethod.Get, $"/admin/rooms?token={Uri.EscapeDataString(node.Operator)}", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task A_token_without_the_admin_grant_is_forbidden()
    {
        var peerToken = node.Token("*", "alice", PeerGrants.Publish | PeerGrants.Subscribe | PeerGrants.Spy);

        var response = await node.GetAsync("/admin/rooms", peerToken);

        Assert.Equal((HttpStatusCode.Forbidden, "this token has no admin grant"), (response.Status, response.Error));
    }

    [Fact]
    public async Task A_room_scoped_admin_token_sees_and_manages_its_room_only()
    {
        var mine = $"room-{Guid.NewGuid():N}";
        var other = $"room-{Guid.NewGuid():N}";
        await using var alice = await node.JoinedPeerAsync(mine, "alice");
        await using var bob = await node.JoinedPeerAsync(other, "bob");
        var scoped = node.Token(mine, "room-operator", PeerGrants.Admin);

        var listing = await node.GetAsync("/admin/rooms", scoped);
        var own = await node.GetAsync($"/admin/rooms/{mine}", scoped);
        var foreign = await node.PostAsync($"/admin/rooms/{other}/close", token: scoped);

        Assert.Equal(HttpStatusCode.OK, listing.Status);
        Assert.Equal([mine], listing.Json.GetProperty("rooms").EnumerateArray().Select(room => room.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal((HttpStatusCode.Forbidden, $"this admin token is for room \"{mine}\" only"), (foreign.Status, foreign.Error));
        Assert.Contains((await node.GetAsync("/admin/rooms")).Json.GetProperty("rooms").EnumerateArray(), room => room.GetProperty("id").GetString() == other);
    }
}

/// <summary>Development mode opens sockets without tokens, never the admin API.</summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class AdminDevelopmentModeTests(EmbeddedNode node)
{
    [Fact]
    public async Task A_tokenless_development_node_refuses_every_admin_request()
    {
        var key = TokenKeys.Symmetric(TokenKeys.NewSymmetricKey());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/rooms");
        request.Headers.Authorization = new("Bearer", JoinTokenIssuer.Create(key, "*", "operator", PeerGrants.All, TimeSpan.FromMinutes(5)));

        using var withToken = await node.Http.SendAsync(request);
        using var without = await node.Http.GetAsync("/admin/rooms");

        Assert.Equal(HttpStatusCode.Unauthorized, withToken.StatusCode);
        Assert.Contains("no token keys are configured", await withToken.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
    }
}

/// <summary>A gateway may switch the admin API off entirely.</summary>
public sealed class AdminDisabledNode : AdminNode
{
    protected override IEnumerable<string> Settings => [.. base.Settings, "--Gateway:Admin:Enabled=false"];
}

/// <summary>Not in parallel with other collections, for the reason given at <see cref="AdminNodeCollection"/>.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AdminDisabledNodeCollection : ICollectionFixture<AdminDisabledNode>
{
    public const string Name = "admin disabled node";
}

[Collection(AdminDisabledNodeCollection.Name)]
public sealed class AdminDisabledTests(AdminDisabledNode node)
{
    [Fact]
    public async Task Switched_off_there_is_no_admin_endpoint()
    {
        var response = await node.GetAsync("/admin/rooms");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal(default, response.Json.ValueKind);
    }
}
