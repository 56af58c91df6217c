using Microsoft.Extensions.FileProviders;

namespace Vexaa.Server.Web;

/// <summary>
/// The web page: static HTML, CSS and ES modules from the wwwroot folder copied beside the server's assembly, served at /
/// to anyone (the sign-in screen must be), while everything it shows comes from the authenticated public API.
/// </summary>
public static class WebPage
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public static IApplicationBuilder UseWebPage(this IApplicationBuilder app)
    {
        if (!File.Exists(Path.Combine(Root, "index.html")))
        {
            throw new InvalidOperationException($"The VExAA web page's files are missing from {Root}; rebuild (./vexaa builds them in).");
        }

        var files = new PhysicalFileProvider(Root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Revalidated every time (cheap, by ETag), so a new version of the page is never mixed with an old script.
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
        });
    }
}
