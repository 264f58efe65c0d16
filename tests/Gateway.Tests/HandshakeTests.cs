using System.Net;

namespace Coordinator.Gateway.Tests;

/// <summary>The WebSocket handshake rules, checked with raw HTTP upgrade requests.</summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class HandshakeTests(EmbeddedNode node)
{
    [Fact]
    public async Task Missing_protoo_subprotocol_is_refused_with_403()
    {
        var response = await Upgrade("/?roomId=r&peerName=p", subProtocol: null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Invalid/missing Sec-WebSocket-Protocol", RejectReason(response));
    }

    [Theory]
    [InlineData("/?peerName=p")]
    [InlineData("/?roomId=r")]
    [InlineData("/?roomId=&peerName=p")]
    [InlineData("/")]
    public async Task Missing_roomId_or_peerName_is_refused_with_400(string path)
    {
        var response = await Upgrade(path, subProtocol: "protoo");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Connection request without roomId and/or peerName", RejectReason(response));
    }

    /// <remarks>A plain GET gets the room page on this development-mode node (Pages/PageTests.cs).</remarks>
    [Fact]
    public async Task A_plain_http_request_is_refused_with_400()
    {
        using var http = new HttpClient();

        var response = await http.PostAsync(new Uri(node.HttpUri, "?roomId=r&peerName=p"), new StringContent(""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_valid_handshake_is_accepted_with_the_protoo_subprotocol()
    {
        var response = await Upgrade("/?roomId=r&peerName=p", subProtocol: "protoo");

        Assert.Equal(HttpStatusCode.SwitchingProtocols, response.StatusCode);
        Assert.Equal("protoo", response.Headers.GetValues("Sec-WebSocket-Protocol").Single());
    }

    /// <summary>The reference's header for a refused handshake.</summary>
    private static string RejectReason(HttpResponseMessage response) => response.Headers.GetValues("X-WebSocket-Reject-Reason").Single();

    private async Task<HttpResponseMessage> Upgrade(string pathAndQuery, string? subProtocol)
    {
        var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.HttpUri, pathAndQuery));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        if (subProtocol is not null)
        {
            request.Headers.Add("Sec-WebSocket-Protocol", subProtocol);
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
