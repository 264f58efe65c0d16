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
    [InlineData("GET", "/admin/cluster")]
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

/// <summary>
/// Development mode opens the admin API without a token to requests from this machine, for a
/// loopback host and from no other web origin (so the dashboard works on a development node and
/// a web page the developer visits cannot act on it); a token that is sent is checked as usual.
/// </summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class AdminDevelopmentModeTests(EmbeddedNode node)
{
    [Fact]
    public async Task A_development_node_answers_tokenless_admin_requests_from_this_machine()
    {
        using var listing = await node.Http.GetAsync("/admin/rooms");
        using var cluster = await node.Http.GetAsync("/admin/cluster");
        using var sameOrigin = await SendAsync(HttpMethod.Get, "/admin/rooms", request => request.Headers.Add("Origin", node.HttpUri.GetLeftPart(UriPartial.Authority)));

        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cluster.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sameOrigin.StatusCode);
    }

    [Fact]
    public async Task A_request_from_another_origin_or_for_a_foreign_host_name_still_needs_a_token()
    {
        using var crossOrigin = await SendAsync(HttpMethod.Post, "/admin/rooms/demo/close", request => request.Headers.Add("Origin", "http://example.com"));
        using var rebound = await SendAsync(HttpMethod.Get, "/admin/rooms", request => request.Headers.Host = $"attacker.example:{node.HttpUri.Port}");

        Assert.Equal(HttpStatusCode.Unauthorized, crossOrigin.StatusCode);
        Assert.Equal("admin requests from another web origin (http://example.com) need a token", await ErrorOf(crossOrigin));
        Assert.Equal(HttpStatusCode.Unauthorized, rebound.StatusCode);
        Assert.Equal("development mode accepts admin requests without a token for localhost only, not for host \"attacker.example\"", await ErrorOf(rebound));
    }

    [Fact]
    public async Task A_token_sent_to_a_node_without_token_keys_is_refused()
    {
        var key = TokenKeys.Symmetric(TokenKeys.NewSymmetricKey());
        var token = JoinTokenIssuer.Create(key, "*", "operator", PeerGrants.All, TimeSpan.FromMinutes(5));

        using var withToken = await SendAsync(HttpMethod.Get, "/admin/rooms", request => request.Headers.Authorization = new("Bearer", token));

        Assert.Equal(HttpStatusCode.Unauthorized, withToken.StatusCode);
        Assert.Contains("no token keys are configured", await withToken.Content.ReadAsStringAsync());
    }

    private static async Task<string?> ErrorOf(HttpResponseMessage response) =>
        System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Action<HttpRequestMessage> configure)
    {
        using var request = new HttpRequestMessage(method, path);
        configure(request);
        return await node.Http.SendAsync(request);
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
