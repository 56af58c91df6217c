using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>
/// Cookie sessions for the web page: signing in and out, stopping password guessing, and CSRF. Each test has its own
/// server rather than a <see cref="SharedServer"/>: one restarts it, one trips the sign-in throttle (which then refuses
/// everyone from this address for minutes), and one deletes a user.
/// </summary>
public sealed class SessionApiTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(workers: 0);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Task<(int Status, string? Code)> ProblemAsync(HttpResponseMessage response) => Api.ProblemAsync(response);

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password) => Api.SignInAsync(client, user, password);

    private HttpClient Browserlike(CookieContainer? cookies = null, bool csrfHeader = true) => Api.CookieClient(_server.BaseAddress, cookies, csrfHeader);

    [Fact(Timeout = 60_000)]
    public async Task Signing_in_starts_a_cookie_session_and_signing_out_ends_it()
    {
        using var client = Browserlike();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);

        using var signedIn = await SignInAsync(client, "admin", _server.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vexaa_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("admin", (await client.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/jobs")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_session_outlives_a_restart_of_the_server()
    {
        var cookies = new CookieContainer();
        using var client = Browserlike(cookies);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(client, "admin", _server.AdminPassword)).StatusCode);

        await _server.StopAsync();
        await _server.RestartAsync();

        // The cookie keys are in the database, not in the process: the same cookie still signs the person in.
        using var after = Browserlike(cookies);
        Assert.Equal("admin", (await after.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("name").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_answer_and_guessing_is_stopped()
    {
        using var client = Browserlike();
        var wrongPassword = await SignInAsync(client, "admin", "not-the-password");
        var unknownUser = await SignInAsync(client, "nobody", "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(await wrongPassword.Content.ReadAsStringAsync(), await unknownUser.Content.ReadAsStringAsync());
        Assert.Equal((401, "invalid-credentials"), await ProblemAsync(wrongPassword));

        for (var i = 2; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(client, "admin", $"guess-{i}")).StatusCode);
        }

        // Ten failures from one address: even the right password is refused until the window has passed.
        var refused = await SignInAsync(client, "admin", _server.AdminPassword);
        Assert.Equal((429, "rate-limited"), await ProblemAsync(refused));
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString(), CultureInfo.InvariantCulture) > 0);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_cookie_request_that_changes_something_without_the_csrf_header_is_refused()
    {
        var cookies = new CookieContainer();
        using var page = Browserlike(cookies);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(page, "admin", _server.AdminPassword)).StatusCode);
        using var noHeader = Browserlike(csrfHeader: false);
        Assert.Equal((403, "csrf"), await ProblemAsync(await SignInAsync(noHeader, "admin", _server.AdminPassword)));

        // The session cookie without the header, as a forged cross-site request would carry it.
        using var forger = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _server.BaseAddress };
        HttpRequestMessage WithCookie(HttpMethod method, string path, object? body = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Add("Cookie", cookies.GetCookieHeader(_server.BaseAddress));
            return request;
        }

        Assert.Equal((403, "csrf"), await ProblemAsync(await forger.SendAsync(WithCookie(HttpMethod.Post, "/api/v1/admin/users", new { name = "mallory", admin = true }))));
        Assert.Equal((403, "csrf"), await ProblemAsync(await forger.SendAsync(WithCookie(HttpMethod.Delete, "/api/v1/session"))));
        Assert.Equal((403, "csrf"), await ProblemAsync(await forger.SendAsync(WithCookie(HttpMethod.Post, "/api/v1/jobs", new { uploadId = "abcdefghijklmnopqrstuvwxyz" }))));

        // Reading needs no header, and neither does a request with an API key (a browser never adds one by itself).
        Assert.Equal(HttpStatusCode.OK, (await forger.SendAsync(WithCookie(HttpMethod.Get, "/api/v1/me"))).StatusCode);
        using var keyed = _server.Client(_server.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await keyed.PostAsJsonAsync("/api/v1/admin/users", new { name = "trent" })).StatusCode);
        var names = (await page.GetFromJsonAsync<JsonElement>("/api/v1/admin/users")).EnumerateArray().Select(u => u.GetProperty("name").GetString()).ToList();
        Assert.Contains("trent", names);
        Assert.DoesNotContain("mallory", names);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_deleted_users_session_ends_at_once()
    {
        using var admin = _server.Client(_server.AdminKey);
        var password = (await Api.JsonAsync(await admin.PostAsJsonAsync("/api/v1/admin/users", new { name = "dora" }))).GetProperty("password").GetString()!;
        using var dora = Browserlike();
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(dora, "dora", password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dora.GetAsync("/api/v1/me")).StatusCode);

        var cli = Proc.VexaaDll;
        Assert.Equal(0, (await Proc.RunAsync("dotnet", [cli, "users", "delete", "dora", "--data", _server.DataDirectory])).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await dora.GetAsync("/api/v1/me")).StatusCode);
    }
}
