using Microsoft.AspNetCore.HttpOverrides;

namespace Vexaa.Server.Hosting;

/// <summary>
/// Behind a reverse proxy the connection comes from the proxy: X-Forwarded-For / -Proto say who the client is and whether
/// it used TLS (for the sign-in throttle and the cookie's Secure flag). They are believed only from the proxies in
/// Vexaa:Http:KnownProxies / KnownNetworks; from anyone else they are ignored, since a client could claim any address.
/// </summary>
internal static class ForwardedHeaders
{
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app, HttpOptions http)
    {
        if (http.KnownProxies.Length == 0 && http.KnownNetworks.Length == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto };
        // ASP.NET Core trusts loopback by default; here only what the settings name is trusted.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in http.KnownProxies)
        {
            options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }

        foreach (var network in http.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        return app.UseForwardedHeaders(options);
    }
}
