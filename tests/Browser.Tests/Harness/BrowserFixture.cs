using Coordinator.TestSupport;
using Xunit.Abstractions;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// Shared by every browser scenario: checks/installs the prerequisites, builds the page bundle and
/// starts one embedded node. Each test then starts its own browser with <see cref="StartBrowserAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private EmbeddedCoordinator? _node;

    public string ChromiumPath { get; private set; } = "";

    public WebBundle Web { get; private set; } = null!;

    public Uri GatewayUri => _node!.BaseUri;

    public async Task InitializeAsync()
    {
        var repositoryRoot = TestData.RepositoryRoot();
        await Prerequisites.EnsureNodeAsync();
        ChromiumPath = await Prerequisites.EnsureChromiumAsync();
        Web = new WebBundle(Path.Combine(repositoryRoot, "tests", "Browser.Tests", "web"));
        await Web.PrepareAsync();
        await Prerequisites.EnsureMediaWorkerAsync(repositoryRoot);
        // The room page is on by default in development mode; say so, as RoomPageTests need it.
        _node = await EmbeddedCoordinator.StartAsync("browser-test", ["--Gateway:Pages:Room=true"]);
    }

    public Task<BrowserDriver> StartBrowserAsync(ITestOutputHelper output) =>
        BrowserDriver.StartAsync(ChromiumPath, GatewayUri, Web, output);

    /// <summary>The room page the node serves, for <paramref name="roomId"/> and the given display name.</summary>
    public Uri RoomPageUri(string roomId, string displayName) =>
        new($"http://{GatewayUri.Authority}/?roomId={Uri.EscapeDataString(roomId)}&displayName={Uri.EscapeDataString(displayName)}");

    /// <summary>Where scenarios save screenshots: <c>artifacts/screenshots/</c> next to the test assembly.</summary>
    public static string ScreenshotPath(string file) => Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots", file);

    /// <summary>A room id no other test uses (rooms outlive a test by the grace period).</summary>
    public static string NewRoomId(string scenario) => $"{scenario}-{Guid.NewGuid():N}";

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
