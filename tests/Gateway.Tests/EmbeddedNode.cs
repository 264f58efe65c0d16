using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;
using Microsoft.AspNetCore.Builder;

namespace Coordinator.Gateway.Tests;

/// <summary>A real embedded node (silo + gateway in this process) listening on a loopback port; subclasses add settings.</summary>
public class EmbeddedNode : IAsyncLifetime
{
    private EmbeddedCoordinator? _node;
    private HttpClient? _http;
    private HttpClient? _operationsHttp;

    public Uri BaseUri => _node!.BaseUri;

    /// <summary>The same endpoint for plain HTTP: health and the admin API.</summary>
    public Uri HttpUri => new(BaseUri.ToString().Replace("ws://", "http://"));

    /// <summary>An HTTP client for <see cref="HttpUri"/>, disposed with the node.</summary>
    public HttpClient Http => _http ??= new HttpClient { BaseAddress = HttpUri };

    /// <summary>The operations listener (<c>/metrics</c>, health), on a free loopback port unless <see cref="Settings"/> turn it off.</summary>
    public Uri? OperationsUri => _node!.OperationsUri;

    /// <summary>An HTTP client for <see cref="OperationsUri"/>, disposed with the node.</summary>
    public HttpClient OperationsHttp => _operationsHttp ??= new HttpClient
    {
        BaseAddress = OperationsUri ?? throw new InvalidOperationException("this node has no operations listener"),
    };

    public IServiceProvider Services => _node!.Services;

    protected virtual IEnumerable<string> Settings => [];

    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    /// <remarks>The operations listener's setting comes first, so that <see cref="Settings"/> can override it.</remarks>
    public async Task InitializeAsync() =>
        _node = await EmbeddedCoordinator.StartAsync("test", [$"--Gateway:Operations:Port={FreePort.Next()}", .. Settings], Configure);

    public virtual async Task DisposeAsync()
    {
        _http?.Dispose();
        _operationsHttp?.Dispose();
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    public Uri PeerUri(string roomId, string peerName) =>
        new(BaseUri, $"/?roomId={Uri.EscapeDataString(roomId)}&peerName={Uri.EscapeDataString(peerName)}");

    /// <summary>A protoo client connected as <paramref name="peerName"/> of <paramref name="roomId"/>, not joined yet.</summary>
    public virtual Task<ProtooClient> ConnectAsync(string roomId, string peerName) => ProtooClient.ConnectAsync(PeerUri(roomId, peerName), peerName);
}

[CollectionDefinition(Name)]
public sealed class EmbeddedNodeCollection : ICollectionFixture<EmbeddedNode>
{
    public const string Name = "embedded node";
}
