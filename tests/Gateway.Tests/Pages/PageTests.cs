using System.Net;
using Coordinator.Gateway.Pages;

namespace Coordinator.Gateway.Tests.Pages;

/// <summary>
/// The room page at / on a development-mode node (where it is on by default): a browser's GET gets
/// the page with its security headers, while a WebSocket upgrade to / still reaches the protoo endpoint.
/// </summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class PageTests(EmbeddedNode node)
{
    [Fact]
    public async Task Root_serves_the_room_page_with_a_content_security_policy_and_revalidation()
    {
        using var response = await node.Http.GetAsync("/?roomId=demo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script src=\"/room/main.js\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertPageHeaders(response);
    }

    [Theory]
    [InlineData("/room/main.js", "text/javascript")]
    [InlineData("/room/room.css", "text/css")]
    public async Task The_page_files_are_served_below_the_page_name(string path, string mediaType)
    {
        using var response = await node.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        AssertPageHeaders(response);
    }

    [Fact]
    public async Task An_unchanged_file_is_answered_304()
    {
        using var first = await node.Http.GetAsync("/room/main.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/room/main.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await node.Http.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Theory]
    [InlineData("/room/")]
    [InlineData("/room/nothing.js")]
    [InlineData("/room/../Coordinator.Gateway.dll")]
    [InlineData("/Coordinator.Gateway.dll")]
    [InlineData("/pages/room/main.js")]
    public async Task Nothing_else_is_served(string path)
    {
        using var response = await node.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_WebSocket_upgrade_to_root_still_reaches_the_protoo_endpoint()
    {
        await using var client = await node.ConnectAsync("page-tests", "alice");

        var answer = await client.QueryRoomAsync();

        Assert.True(answer.GetProperty("ok").GetBoolean(), answer.ToString());
        Assert.True(answer.GetProperty("data").TryGetProperty("rtpCapabilities", out _), answer.ToString());
    }

    [Fact]
    public async Task Other_methods_on_root_still_get_the_protoo_endpoints_refusal()
    {
        using var response = await node.Http.PostAsync("/", new StringContent(""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("this endpoint only accepts protoo WebSocket connections", response.Headers.GetValues("X-WebSocket-Reject-Reason").Single());
    }

    private static void AssertPageHeaders(HttpResponseMessage response)
    {
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoCache, "Cache-Control: no-cache");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }
}

/// <summary>A development-mode node with both pages switched off.</summary>
public sealed class PagesOffNode : EmbeddedNode
{
    protected override IEnumerable<string> Settings => ["--Gateway:Pages:Room=false", "--Gateway:Pages:Dashboard=false"];
}

/// <summary>With the pages off, their paths answer as they did before the pages existed.</summary>
public sealed class PagesOffTests(PagesOffNode node) : IClassFixture<PagesOffNode>
{
    [Fact]
    public async Task Root_is_the_protoo_endpoint_alone()
    {
        using var response = await node.Http.GetAsync("/?roomId=demo");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("this endpoint only accepts protoo WebSocket connections", response.Headers.GetValues("X-WebSocket-Reject-Reason").Single());
    }

    [Theory]
    [InlineData("/room/main.js")]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/")]
    public async Task The_page_paths_are_404(string path)
    {
        using var response = await node.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>Which pages are on by default.</summary>
public sealed class PagesOptionsTests
{
    [Fact]
    public void The_room_page_is_on_in_development_mode_only_unless_set()
    {
        Assert.Contains(WebPage.Room, new PagesOptions().Enabled(developmentMode: true));
        Assert.DoesNotContain(WebPage.Room, new PagesOptions().Enabled(developmentMode: false));
        Assert.Contains(WebPage.Room, new PagesOptions { Room = true }.Enabled(developmentMode: false));
        Assert.DoesNotContain(WebPage.Room, new PagesOptions { Room = false }.Enabled(developmentMode: true));
    }

    [Fact]
    public void The_dashboard_is_on_unless_switched_off()
    {
        Assert.Contains(WebPage.Dashboard, new PagesOptions().Enabled(developmentMode: false));
        Assert.DoesNotContain(WebPage.Dashboard, new PagesOptions { Dashboard = false }.Enabled(developmentMode: true));
    }
}
