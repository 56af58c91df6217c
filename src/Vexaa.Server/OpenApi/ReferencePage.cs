using Scalar.AspNetCore;

namespace Vexaa.Server.OpenApi;

/// <summary>
/// /docs: Scalar's API reference, as a part of a self-hosted service. Its script is the one embedded in the package and
/// served from here; the vendor's fonts, AI chat, MCP, telemetry and hosted-service buttons are switched off, so the page
/// makes no request to any other host (a browser test lists them). The API key entered there is kept in the browser only.
/// </summary>
public static class ReferencePage
{
    public const string Path = "/docs";

    public static IEndpointConventionBuilder MapApiReference(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return routes.MapScalarApiReference(Path, o => o
            .WithTitle("VExAA API reference")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .WithFavicon("/favicon.svg")
            .AddPreferredSecuritySchemes(ApiDocument.BearerScheme)
            .AddHttpAuthentication(ApiDocument.BearerScheme, s => s.Token = "")
            .EnablePersistentAuthentication()
            .DisableDefaultFonts()
            .DisableAgent()
            .DisableMcp()
            .DisableTelemetry()
            .HideClientButton()
            .HideDeveloperTools()
            .WithDotNetFlag(false)
            .AddHeaderContent("""<nav class="vexaa-back"><a href="/">← Back to VExAA</a> · <a href="/openapi/v1.json">OpenAPI document</a></nav>""")
            .WithCustomCss(".vexaa-back { padding: 0.5rem 1rem; font: 14px system-ui, sans-serif; border-bottom: 1px solid var(--scalar-border-color, #ddd); }"))
            .AllowAnonymous();
    }
}
