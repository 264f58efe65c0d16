using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Coordinator.Gateway.Auth;
using Coordinator.Grains.Interfaces;
using Coordinator.Tools.Protoo;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Gateway.Tests.Admin;

/// <summary>A node in token mode with real workers, and an HTTP client for its admin API.</summary>
public class AdminNode : EmbeddedNode
{
    public SymmetricSecurityKey Key { get; } = TokenKeys.Symmetric(TokenKeys.NewSymmetricKey());

    /// <summary>An admin token for every room.</summary>
    public string Operator => Token("*", "operator", PeerGrants.Admin);

    protected override IEnumerable<string> Settings =>
    [
        "--Gateway:DevelopmentMode=false",
        $"--Gateway:Tokens:SigningKey={Convert.ToBase64String(Key.Key)}",
    ];

    public string Token(string room, string peer, PeerGrants grants, TimeSpan? lifetime = null) =>
        JoinTokenIssuer.Create(Key, room, peer, grants, lifetime ?? TimeSpan.FromMinutes(5));

    /// <summary>A protoo client with a publish and subscribe token for (room, peer).</summary>
    public override Task<ProtooClient> ConnectAsync(string roomId, string peerName) =>
        ProtooClient.ConnectAsync(
            new Uri(PeerUri(roomId, peerName) + $"&token={Uri.EscapeDataString(Token(roomId, peerName, PeerGrants.Publish | PeerGrants.Subscribe))}"), peerName);

    /// <summary>An admin request; <paramref name="body"/> is sent as JSON (a string is sent as is).</summary>
    public async Task<AdminResponse> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new AdminResponse(response.StatusCode, json, response.Headers.WwwAuthenticate.ToString());
    }

    public Task<AdminResponse> GetAsync(string path, string? token = null) => SendAsync(HttpMethod.Get, path, token ?? Operator);

    public Task<AdminResponse> PostAsync(string path, object? body = null, string? token = null) => SendAsync(HttpMethod.Post, path, token ?? Operator, body);

    public Task<AdminResponse> PutAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Put, path, token ?? Operator, body);
}

/// <summary>An admin API answer: status, JSON body (undefined when empty), <c>WWW-Authenticate</c>.</summary>
public sealed record AdminResponse(HttpStatusCode Status, JsonElement Json, string Challenge)
{
    public string Error => Json.GetProperty("error").GetString()!;

    public override string ToString() => $"{(int)Status} {Json}";
}

/// <summary>
/// Not run in parallel with other collections: the bad-input campaign measures the process's
/// managed memory before and after its attack, and a node of ours starting in between would be
/// counted as its leak.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AdminNodeCollection : ICollectionFixture<AdminNode>
{
    public const string Name = "admin node";
}
