using Coordinator.TestSupport;

namespace Coordinator.LoadTool.Tests;

/// <summary>The embedded node the load runs drive, one for the whole collection.</summary>
public sealed class EmbeddedNode : IAsyncLifetime
{
    private EmbeddedCoordinator? _node;

    public Uri BaseUri => _node!.BaseUri;

    public async Task InitializeAsync() => _node = await EmbeddedCoordinator.StartAsync("loadtool");

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedNodeCollection : ICollectionFixture<EmbeddedNode>
{
    public const string Name = "embedded node";
}
