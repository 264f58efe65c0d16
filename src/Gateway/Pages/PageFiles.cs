using Coordinator.Gateway.Hosting;
using Microsoft.Extensions.FileProviders;

namespace Coordinator.Gateway.Pages;

/// <summary>
/// Serves the built pages (<see cref="PagesOptions"/>): each page's files below <c>/&lt;name&gt;/</c>
/// and its <c>index.html</c> at its entry paths, for GET and HEAD requests that are not WebSocket
/// upgrades. Upgrades, other methods and a page that is off go on to the endpoints as before, so a
/// WebSocket upgrade to <c>/</c> still reaches the protoo endpoint.
/// </summary>
public static partial class PageFiles
{
    /// <summary>The folder below the application's base directory that holds one folder per page.</summary>
    public const string Folder = "pages";

    /// <summary>Adds the page middleware; call it after UseWebSockets and before UseRouting.</summary>
    public static void UseCoordinatorPages(this WebApplication app, GatewayOptions gateway)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Coordinator");
        var root = Path.Combine(AppContext.BaseDirectory, Folder);
        foreach (var page in PagesOptions.From(app.Configuration).Enabled(gateway.DevelopmentMode))
        {
            var folder = Path.Combine(root, page.Name);
            if (!File.Exists(Path.Combine(folder, "index.html")))
            {
                LogPageMissing(logger, page.Name, folder);
                continue;
            }

            app.Use(next => context =>
            {
                if (IsPageRequest(context) && page.EntryPaths.Contains(context.Request.Path.Value))
                {
                    context.Request.Path = page.FilesPath + "/index.html";
                }

                return next(context);
            });
            app.UseWhen(IsPageRequest, branch => branch.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(folder),
                RequestPath = page.FilesPath,
                OnPrepareResponse = file => PageHeaders.Apply(file.Context.Response),
            }));
            app.Lifetime.ApplicationStarted.Register(() => LogServing(logger, page.Name, page.EntryPaths[0]));
        }
    }

    private static bool IsPageRequest(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && !context.WebSockets.IsWebSocketRequest;

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving the {Page} page at {Path}")]
    private static partial void LogServing(ILogger logger, string page, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Page} page is on but was not built ({Folder} has no index.html): build with Node.js and npm, see docs/try-it.md")]
    private static partial void LogPageMissing(ILogger logger, string page, string folder);
}
