namespace Coordinator.Gateway.Pages;

/// <summary>
/// One page: its folder under <c>pages/</c> (built from <c>clients/web/&lt;Name&gt;</c>), served
/// below <c>/&lt;Name&gt;/</c>, and the paths that answer with its <c>index.html</c>.
/// </summary>
public sealed record WebPage(string Name, IReadOnlyList<string> EntryPaths)
{
    public static readonly WebPage Room = new("room", ["/"]);

    public static readonly WebPage Dashboard = new("dashboard", ["/dashboard", "/dashboard/"]);

    /// <summary>The request path its files are served under, e.g. <c>/room</c>.</summary>
    public string FilesPath => "/" + Name;
}
