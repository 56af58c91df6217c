using System.Net;
using System.Net.Http.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Hardening;

/// <summary>X-Forwarded-For / -Proto count only from the proxies the settings name.</summary>
public sealed class ForwardedHeadersTests
{
    private static HttpRequestMessage SignIn(string password, string forwardedFor, string proto = "http")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session") { Content = JsonContent.Create(new { username = "admin", password }) };
        request.Headers.Add("X-Requested-With", "vexaa");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", proto);
        return request;
    }

    private static async Task GuessTenTimesAsync(HttpClient client, string forwardedFor)
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(SignIn($"guess-{i}", forwardedFor))).StatusCode);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Behind_a_configured_proxy_the_throttle_sees_each_client_and_the_cookie_is_secure_under_tls()
    {
        await using var server = await ServerProcess.StartAsync(0, new() { ["Vexaa__Http__KnownNetworks__0"] = "127.0.0.0/8" });
        using var proxy = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };

        await GuessTenTimesAsync(proxy, "203.0.113.7");

        Assert.Equal(HttpStatusCode.TooManyRequests, (await proxy.SendAsync(SignIn(server.AdminPassword, "203.0.113.7"))).StatusCode);
        using var other = await proxy.SendAsync(SignIn(server.AdminPassword, "198.51.100.9", "https"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Contains("secure", other.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 60_000)]
    public async Task Forwarded_headers_from_an_unconfigured_address_are_ignored()
    {
        await using var server = await ServerProcess.StartAsync(0, new() { ["Vexaa__Http__KnownProxies__0"] = "192.0.2.1" });
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };
        using var plain = await client.SendAsync(SignIn(server.AdminPassword, "198.51.100.1", "https"));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.DoesNotContain("secure", plain.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);

        await GuessTenTimesAsync(client, "203.0.113.7");

        // Every guess came from this one connection's address, whatever the header claimed.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(SignIn(server.AdminPassword, "198.51.100.9"))).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_proxy_setting_that_is_not_an_address_stops_the_start_naming_it()
    {
        var data = Path.Combine(Path.GetTempPath(), "vexaa-proxy-" + Guid.NewGuid().ToString("N")[..8]);
        var cli = Proc.VexaaDll;
        var r = await Proc.RunAsync("dotnet", [cli, "serve", "--data", data, "--urls", "http://127.0.0.1:0"], env: new Dictionary<string, string> { ["Vexaa__Http__KnownNetworks__0"] = "10.0.0.0/99" });
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Vexaa:Http:KnownNetworks", r.Stderr + r.Stdout, StringComparison.Ordinal);
    }
}
