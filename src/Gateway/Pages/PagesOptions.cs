namespace Coordinator.Gateway.Pages;

/// <summary>
/// The browser pages the gateway serves (configuration section <c>Gateway:Pages</c>). Their files
/// are built from <c>clients/web</c> at build time and copied into the output's <c>pages/</c> folder.
/// </summary>
public sealed class PagesOptions
{
    public const string Section = "Gateway:Pages";

    /// <summary>The room page at <c>/</c>; unset: on in development mode, off otherwise.</summary>
    public bool? Room { get; set; }

    /// <summary>The operator dashboard at <c>/dashboard</c>; its admin API calls need an admin token outside development mode.</summary>
    public bool Dashboard { get; set; } = true;

    public static PagesOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<PagesOptions>() ?? new PagesOptions();

    /// <summary>The pages switched on, given whether the node is in development mode.</summary>
    public IEnumerable<WebPage> Enabled(bool developmentMode)
    {
        if (Room ?? developmentMode)
        {
            yield return WebPage.Room;
        }

        if (Dashboard)
        {
            yield return WebPage.Dashboard;
        }
    }
}
