namespace Coordinator.Gateway.Pages;

/// <summary>The response headers of every page file.</summary>
internal static class PageHeaders
{
    /// <summary>
    /// The pages load only their own bundled script and stylesheet, and talk only to this gateway
    /// (the protoo WebSocket and the admin API): nothing inline, nothing from elsewhere, no framing.
    /// CSP Level 3 lets <c>'self'</c> match ws:// and wss:// on the page's own host and port.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob: mediastream:; "
        + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// File names carry no content hash, so the browser revalidates every time (ETag and
    /// Last-Modified answer with 304 when unchanged): a new build is never shadowed by a cached one.
    /// </summary>
    public const string CacheControl = "no-cache";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.CacheControl = CacheControl;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        // A room link can carry a join token in its query: never send it on as a Referer.
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(self), microphone=(self), geolocation=(), payment=()";
    }
}
